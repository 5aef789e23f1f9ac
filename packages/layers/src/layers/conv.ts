import { add, biasAct, convBiasAct, reshape, type Tensor, tidy } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { checkActivation, checkArgCount, describeArg, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { identityFn } from "../identity.js";
import { type Init, glorotUniform, zeros32 } from "../init.js";
import { torchLayout } from "../io/torchLayout.js";
import { layerConstructor } from "../layer.js";
import { maybeTupleString, tupleString } from "../show/format.js";
import { AbstractLayer } from "./base.js";
import { convNd, convTransposeNd } from "./convNd.js";
import { checkTensorInput } from "./input.js";
import { matchEltype, needsEltype } from "./matchEltype.js";
import { type Dims, fullPad, type PadSpecN, resolvePadN, tupleN } from "./geometryNd.js";
import { isSamePad } from "./samePad.js";

/** Options of `Conv`, `CrossCor` and `ConvTranspose` (Flux's keywords). */
export interface ConvOptions {
  /** A number or one per spatial dim; default 1. */
  stride?: Dims;
  /** A number, one per dim, `(low, high)` per dim, or `SamePad()`; default 0. */
  pad?: PadSpecN;
  /** A number or one per spatial dim; default 1. */
  dilation?: Dims;
  /** Channel groups (`Conv` and `ConvTranspose`); default 1. `groups = cin` is a depthwise convolution. */
  groups?: number;
  /** `true` (zeros, default), `false`, or a `[cout]` tensor. */
  bias?: boolean | Tensor;
  /** Weight initialiser, called with the weight's shape; default `glorotUniform`. */
  init?: Init;
}

/** Options of `ConvTranspose`: `Conv`'s plus `outpad`. */
export interface ConvTransposeOptions extends ConvOptions {
  /** Extra output size at the high end of each dim (to invert a strided `Conv`); default 0. */
  outpad?: Dims;
}

const CONV_OPTION_NAMES = {
  stride: true,
  pad: true,
  dilation: true,
  groups: true,
  bias: true,
  init: true,
} as const;
const CONV_OPTIONS = optionNames<ConvOptions>(CONV_OPTION_NAMES);
const CONV_TRANSPOSE_OPTIONS = optionNames<ConvTransposeOptions>({ ...CONV_OPTION_NAMES, outpad: true });
// CrossCor has no groups (Flux's CrossCor takes none), and DepthwiseConv sets them itself.
const CROSSCOR_OPTIONS = CONV_OPTIONS.filter((k) => k !== "groups");

// A kernel size: one number is a square 2-D kernel (as this package's `Conv(3, ...)` always was); an array's
// length is the number of spatial dims (Flux's tuple: `[3]` is 1-D, `[3, 3, 3]` 3-D).
function kernelDims(kernel: Dims, what: string): number[] {
  if (typeof kernel !== "number" && !Array.isArray(kernel))
    throw new LayerArgumentError(
      `${what}: call it as ${what}(kernel, in, out, σ?, opts?) with kernel a number or 1 to 3 numbers, got ${describeArg(kernel)}.`,
    );
  const k = typeof kernel === "number" ? [kernel, kernel] : [...kernel];
  if (k.length < 1 || k.length > 3 || k.some((v) => !Number.isInteger(v) || v < 1))
    throw new LayerArgumentError(
      `${what}: the kernel size must be 1 to 3 positive integers (or one number for a square 2-D kernel), got ${JSON.stringify(kernel)}.`,
    );
  return k;
}

function makeBias(bias: boolean | Tensor | undefined, n: number, what: string): Tensor | false {
  if (bias === false) return false;
  if (bias === undefined || bias === true) return zeros32([n]);
  if (bias.rank === 1 && bias.shape[0] === n) return bias;
  throw new LayerArgumentError(
    `${what}: a bias tensor must have shape [${n}], got [${bias.shape.join(", ")}].`,
  );
}

/** @internal Shared fields, checks and printing of the convolution layers. */
abstract class ConvBase extends AbstractLayer {
  σ!: Activation;
  weight!: Tensor;
  bias!: Tensor | false;
  stride!: readonly number[];
  pad!: number | readonly number[];
  dilation!: readonly number[];
  protected abstract readonly name: string;
  protected abstract channelsIn(): number;
  /** The output channels: the weight's last dim (ConvTranspose's differ). */
  protected channelsOut(): number {
    return this.weight.shape[this.spatialDims + 1]!;
  }
  protected abstract compute(x: Tensor): Tensor;

  /**
   * The checks every convolution constructor starts with, under this layer's name: at most the five
   * arguments of `name(kernel, in, out, σ?, opts?)`, an activation, options among `known`, the kernel size,
   * and channel counts that the groups (1 unless given) divide. Returns the kernel dims, the options to read
   * and the groups.
   */
  protected begin<O extends ConvOptions>(
    args: IArguments,
    kernel: Dims,
    cin: number,
    cout: number,
    σ: Activation | undefined,
    given: O | undefined,
    known: readonly string[],
  ): [number[], O, number] {
    checkArgCount(this.name, args, 5, `${this.name}(kernel, in, out, σ?, opts?)`);
    checkActivation(this.name, σ);
    const opts = optionsArg(this.name, given, known);
    const k = kernelDims(kernel, this.name);
    return [k, opts, checkGroups(this.name, cin, cout, opts.groups ?? 1)];
  }

  /** σ, the weight (`opts.init` of `weightShape`, glorotUniform by default), stride, dilation and bias. */
  protected setup(
    k: number[],
    σ: Activation | undefined,
    opts: ConvOptions,
    weightShape: number[],
    biasLen: number,
  ): void {
    this.σ = σ ?? identityFn;
    this.weight = (opts.init ?? glorotUniform)(weightShape);
    this.stride = tupleN(opts.stride ?? 1, k.length, `${this.name}: stride`, 1);
    this.dilation = tupleN(opts.dilation ?? 1, k.length, `${this.name}: dilation`, 1);
    this.bias = makeBias(opts.bias, biasLen, this.name);
  }

  /**
   * The whole forward pass as one fused op where there is one (a 2-D convolution without groups:
   * `convBiasAct`), else null and `forward` composes `compute`, the bias and σ.
   */
  protected computeBiasAct(_x: Tensor, _act: Activation | null): Tensor | null {
    return null;
  }

  /** `convBiasAct` with this layer's weight, bias, stride, padding and dilation, for 2-D input only. */
  protected convolveBiasAct(
    x: Tensor,
    act: Activation | null,
    flipped: boolean,
    groups: number,
  ): Tensor | null {
    if (this.spatialDims !== 2 || groups !== 1) return null;
    const [wLo, wHi, hLo, hHi] = fullPad(this.pad, 2);
    return convBiasAct(x, this.weight, this.bias === false ? null : this.bias, act, {
      stride: [this.stride[0]!, this.stride[1]!],
      pad: [wLo!, wHi!, hLo!, hHi!],
      dilation: [this.dilation[0]!, this.dilation[1]!],
      flipped,
    });
  }

  /** `convNd` with this layer's stride, padding and dilation (a true convolution unless `flipped`). */
  protected convolve(x: Tensor, flipped: boolean, groups: number): Tensor {
    return convNd(x, this.weight, {
      stride: this.stride,
      pad: fullPad(this.pad, this.spatialDims),
      dilation: this.dilation,
      flipped,
      groups,
    });
  }

  get spatialDims(): number {
    return this.weight.rank - 2;
  }

  /** `σ.(op(x, weight) .+ bias)` on `[spatial..., cin, N]` input. */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    // Flux's _match_eltype: f64 or integer data into f32 parameters is converted (the copy freed by tidy).
    const dtype = this.weight.dtype;
    if (needsEltype(x, dtype)) return tidy(() => this.forward(matchEltype(this, x, dtype)));
    const n = this.spatialDims;
    const cin = this.channelsIn();
    if (x.rank !== n + 2 || x.shape[n] !== cin) {
      const want = [...(n === 1 ? ["W"] : n === 2 ? ["W", "H"] : ["W", "H", "D"]), cin, "N"];
      throw new LayerInputError(
        `${this.showCompact()} expects a [${want.join(", ")}] input, but got [${x.shape.join(", ")}].`,
      );
    }
    const act = this.σ === identityFn ? null : this.σ;
    const fused = this.computeBiasAct(x, act);
    if (fused !== null) return fused;
    const bias = this.bias;
    // In a tidy, so that the convolution's output and the bias's reshaped view are freed as soon as the
    // result exists (a gradient tape keeps what its backward pass needs).
    return tidy(() => {
      const y = this.compute(x);
      if (bias === false) return act === null ? y : act(y);
      const b = reshape(bias, [...new Array<number>(n).fill(1), bias.shape[0]!, 1]);
      return act === null ? add(y, b) : biasAct(act, y, b);
    });
  }

  protected options(): string {
    let s = "";
    if (this.σ !== identityFn) s += `, ${activationName(this.σ)}`;
    const padList = typeof this.pad === "number" ? [this.pad] : this.pad;
    if (!padList.every((p) => p === 0)) s += `, pad=${maybeTupleString(this.pad)}`;
    if (!this.stride.every((v) => v === 1)) s += `, stride=${maybeTupleString(this.stride)}`;
    if (!this.dilation.every((v) => v === 1)) s += `, dilation=${maybeTupleString(this.dilation)}`;
    const groups = (this as { groups?: number }).groups;
    if (groups !== undefined && groups !== 1) s += `, groups=${groups}`;
    if (this.bias === false) s += ", bias=false";
    return s;
  }

  showCompact(): string {
    const k = this.weight.shape.slice(0, this.spatialDims);
    return `${this.name}(${tupleString(k)}, ${this.channelsIn()} => ${this.channelsOut()}${this.options()})`;
  }
}

/** Checks the channel counts and groups of `name` (CrossCor's groups are always 1); returns `groups`. */
function checkGroups(name: string, cin: number, cout: number, groups: number): number {
  if (![cin, cout, groups].every((d) => Number.isInteger(d) && d >= 1))
    throw new LayerArgumentError(
      `${name}(kernel, cin, cout): channels and groups must be positive integers, got ${cin}, ${cout} and ${groups}.`,
    );
  if (cin % groups !== 0 || cout % groups !== 0)
    throw new LayerArgumentError(
      `${name}: input (${cin}) and output (${cout}) channels must be divisible by groups = ${groups}.`,
    );
  return groups;
}

class ConvLayer extends ConvBase {
  /** `[k..., cin/groups, cout]` (Flux's layout). */
  declare weight: Tensor;
  groups: number;
  protected readonly name: string = "Conv";

  constructor(kernel: Dims, cin: number, cout: number, σ?: Activation, given?: ConvOptions) {
    super();
    const [k, opts, groups] = this.begin(arguments, kernel, cin, cout, σ, given, CONV_OPTIONS);
    this.setup(k, σ, opts, [...k, cin / groups, cout], cout);
    this.pad = resolvePadN(opts.pad ?? 0, k, this.dilation, "Conv");
    this.groups = groups;
  }

  protected channelsIn(): number {
    return this.weight.shape[this.spatialDims]! * this.groups;
  }

  protected compute(x: Tensor): Tensor {
    return this.convolve(x, false, this.groups);
  }

  protected override computeBiasAct(x: Tensor, act: Activation | null): Tensor | null {
    return this.convolveBiasAct(x, act, false, this.groups);
  }
}

class CrossCorLayer extends ConvBase {
  protected readonly name: string = "CrossCor";

  constructor(kernel: Dims, cin: number, cout: number, σ?: Activation, given?: ConvOptions) {
    super();
    const [k, opts] = this.begin(arguments, kernel, cin, cout, σ, given, CROSSCOR_OPTIONS);
    this.setup(k, σ, opts, [...k, cin, cout], cout);
    this.pad = resolvePadN(opts.pad ?? 0, k, this.dilation, "CrossCor");
  }

  protected channelsIn(): number {
    return this.weight.shape[this.spatialDims]!;
  }

  protected compute(x: Tensor): Tensor {
    return this.convolve(x, true, 1);
  }

  protected override computeBiasAct(x: Tensor, act: Activation | null): Tensor | null {
    return this.convolveBiasAct(x, act, true, 1);
  }
}

class ConvTransposeLayer extends ConvBase {
  /** `[k..., cout/groups, cin]` (Flux's layout: the channel dims of the `Conv` it transposes). */
  declare weight: Tensor;
  outpad: readonly number[];
  groups: number;
  protected readonly name: string = "ConvTranspose";

  constructor(kernel: Dims, cin: number, cout: number, σ?: Activation, given?: ConvTransposeOptions) {
    super();
    const [k, opts, groups] = this.begin(arguments, kernel, cin, cout, σ, given, CONV_TRANSPOSE_OPTIONS);
    this.setup(k, σ, opts, [...k, cout / groups, cin], cout);
    this.groups = groups;
    this.outpad = tupleN(opts.outpad ?? 0, k.length, "ConvTranspose: outpad", 0);
    // Flux: SamePad for a transpose is the padding of a kernel k - stride + 1.
    const pad = opts.pad ?? 0;
    const kPad = isSamePad(pad) ? k.map((v, i) => v - this.stride[i]! + 1) : k;
    this.pad = resolvePadN(pad, kPad, this.dilation, "ConvTranspose");
  }

  protected channelsIn(): number {
    return this.weight.shape[this.spatialDims + 1]!;
  }

  protected override channelsOut(): number {
    return this.weight.shape[this.spatialDims]! * this.groups;
  }

  protected compute(x: Tensor): Tensor {
    return convTransposeNd(x, this.weight, {
      stride: this.stride,
      pad: fullPad(this.pad, this.spatialDims),
      outpad: this.outpad,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override showCompact(): string {
    const s = super.showCompact();
    return this.outpad.every((v) => v === 0) ? s : `${s.slice(0, -1)}, outpad=${tupleString(this.outpad)})`;
  }
}

torchLayout(ConvLayer, { weight: "conv" });
// CrossCor needs no entry: PyTorch's Conv cross-correlates too, so the reversed dims are its weight as is.
torchLayout(ConvTransposeLayer, { weight: "conv" });

/**
 * Flux's `Conv(filter, in => out, σ; stride, pad, dilation, groups, bias, init)`: a convolution over 1, 2 or 3
 * spatial dims.
 *
 * Layout is Flux's: weight `[k..., cin/groups, cout]`, input `[spatial..., cin, N]` (`[W, H, C, N]` for
 * images), output `[spatial'..., cout, N]`. The kernel size is an array (`[3]` 1-D, `[3, 3]` 2-D,
 * `[3, 3, 3]` 3-D) or one number for a square 2-D kernel. Like Flux (and unlike PyTorch) it is a true
 * convolution: the kernel is flipped. `groups` splits the channels (`groups = cin`: depthwise).
 *
 * @example
 * const c = Conv([3, 3], 1, 16, relu, { pad: 1 });
 * c.forward(randn([28, 28, 1, 8])).shape; // [28, 28, 16, 8]
 * Conv([3], 4, 5, σ).forward(randn([100, 4, 64])).shape; // [98, 5, 64]
 */
export const Conv = layerConstructor(ConvLayer, [
  "σ",
  "weight",
  "bias",
  "stride",
  "pad",
  "dilation",
  "groups",
]);
/** A Conv layer (see `Conv`). */
export type Conv = ConvLayer;

/**
 * Flux's `CrossCor(filter, in => out, σ; stride, pad, dilation, bias, init)`: like `Conv` without flipping
 * the kernel (PyTorch's `Conv2d` arithmetic).
 *
 * @example
 * CrossCor([5, 5], 3, 6, relu, { bias: false }).forward(randn([100, 100, 3, 1])).shape; // [96, 96, 6, 1]
 */
export const CrossCor = layerConstructor(CrossCorLayer, ["σ", "weight", "bias", "stride", "pad", "dilation"]);
/** A CrossCor layer (see `CrossCor`). */
export type CrossCor = CrossCorLayer;

/**
 * Flux's `ConvTranspose(filter, in => out, σ; stride, pad, outpad, dilation, groups, bias, init)`: the
 * transpose (data gradient) of a `Conv`, used to upsample. Weight `[k..., out/groups, in]`; output size
 * `(n - 1) stride + 1 + (k - 1) dilation - padLow - padHigh + outpad` per dim.
 *
 * @example
 * ConvTranspose([5, 5], 3, 7, relu, { stride: 2 }).forward(randn([100, 100, 3, 50])).shape; // [203, 203, 7, 50]
 */
export const ConvTranspose = layerConstructor(ConvTransposeLayer, [
  "σ",
  "weight",
  "bias",
  "stride",
  "pad",
  "outpad",
  "dilation",
  "groups",
]);
/** A ConvTranspose layer (see `ConvTranspose`). */
export type ConvTranspose = ConvTransposeLayer;

/**
 * Flux's `DepthwiseConv(filter, in => out, σ; ...)`: a `Conv` with `groups = in` (each input channel
 * convolved with its own `out / in` kernels).
 *
 * @example
 * String(DepthwiseConv([5, 5], 3, 6, relu, { bias: false })); // "Conv((5, 5), 3 => 6, relu, groups=3, bias=false)  # 150 parameters"
 */
export function DepthwiseConv(
  kernel: Dims,
  cin: number,
  cout: number,
  σ?: Activation,
  opts: Omit<ConvOptions, "groups"> = {},
): Conv {
  checkArgCount("DepthwiseConv", arguments, 5, "DepthwiseConv(kernel, in, out, σ?, opts?)");
  // groups is DepthwiseConv's own choice (= in), so it is not among the options it takes.
  const checked = optionsArg("DepthwiseConv", opts, CROSSCOR_OPTIONS);
  return Conv(kernel, cin, cout, σ, { ...checked, groups: cin });
}
