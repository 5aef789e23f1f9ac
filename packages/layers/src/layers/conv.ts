import { add, conv, reshape, type Tensor } from "@flux/kernels";
import { type Activation, activationName } from "../activation";
import { LayerArgumentError, LayerInputError } from "../errors";
import { identityFn } from "../identity";
import { type Init, glorotUniform, zeros32 } from "../init";
import { layerConstructor } from "../layer";
import { maybeTupleString, tupleString } from "../show/format";
import { torchLayout } from "../io/torchLayout";
import { AbstractLayer } from "./base";
import { type PadSpec, type Pair, padArg, pair, resolvePad } from "./geometry";

/** Options of `Conv` (Flux's keywords). */
export interface ConvOptions {
  stride?: Pair;
  /** A number, `[w, h]`, `[wLow, wHigh, hLow, hHigh]` or `SamePad()`; default 0. */
  pad?: PadSpec;
  dilation?: Pair;
  /** `true` (zeros, default), `false`, or a `[cout]` tensor. */
  bias?: boolean | Tensor;
  /** Weight initialiser, called with `[kW, kH, cin, cout]`; default `glorotUniform`. */
  init?: Init;
}

class ConvLayer extends AbstractLayer {
  σ: Activation;
  /** `[kW, kH, cin, cout]` (Flux's layout). */
  weight: Tensor;
  bias: Tensor | false;
  stride: readonly [number, number];
  pad: number | readonly number[];
  dilation: readonly [number, number];
  groups: number;

  constructor(kernel: Pair, cin: number, cout: number, σ?: Activation, opts: ConvOptions = {}) {
    super();
    const k = pair(kernel, "Conv: the kernel size", 1);
    if (![cin, cout].every((d) => Number.isInteger(d) && d >= 1)) {
      throw new LayerArgumentError(
        `Conv(kernel, cin, cout): channels must be positive integers, got ${cin} and ${cout}.`,
      );
    }
    this.σ = σ ?? identityFn;
    this.weight = (opts.init ?? glorotUniform)([k[0], k[1], cin, cout]);
    if (opts.bias === false) this.bias = false;
    else if (opts.bias === undefined || opts.bias === true) this.bias = zeros32([cout]);
    else if (opts.bias.rank === 1 && opts.bias.shape[0] === cout) this.bias = opts.bias;
    else
      throw new LayerArgumentError(
        `Conv: a bias tensor must have shape [${cout}], got [${opts.bias.shape.join(", ")}].`,
      );
    this.stride = pair(opts.stride ?? 1, "Conv: stride", 1);
    this.dilation = pair(opts.dilation ?? 1, "Conv: dilation", 1);
    this.pad = resolvePad(opts.pad ?? 0, k, this.dilation);
    this.groups = 1;
  }

  /** `σ.(conv(x, weight) .+ bias)` on `[W, H, cin, N]` input (a true convolution, as Flux's Conv). */
  forward(x: Tensor): Tensor {
    const cin = this.weight.shape[2]!;
    if (x.rank !== 4 || x.shape[2] !== cin) {
      throw new LayerInputError(
        `${this.showCompact()} expects a [W, H, ${cin}, N] input, but got [${x.shape.join(", ")}].`,
      );
    }
    let y = conv(x, this.weight, { stride: this.stride, pad: padArg(this.pad), dilation: this.dilation });
    if (this.bias !== false) y = add(y, reshape(this.bias, [1, 1, this.bias.shape[0]!, 1]));
    return this.σ === identityFn ? y : this.σ(y);
  }

  showCompact(): string {
    const [kW, kH, cin, cout] = this.weight.shape;
    let s = `Conv(${tupleString([kW!, kH!])}, ${cin} => ${cout}`;
    if (this.σ !== identityFn) s += `, ${activationName(this.σ)}`;
    const padList = typeof this.pad === "number" ? [this.pad] : this.pad;
    if (!padList.every((p) => p === 0)) s += `, pad=${maybeTupleString(this.pad)}`;
    if (!this.stride.every((v) => v === 1)) s += `, stride=${maybeTupleString(this.stride)}`;
    if (!this.dilation.every((v) => v === 1)) s += `, dilation=${maybeTupleString(this.dilation)}`;
    if (this.bias === false) s += ", bias=false";
    return `${s})`;
  }
}

torchLayout(ConvLayer, { weight: "conv" });

/**
 * Flux's `Conv((kW, kH), cin => cout, σ; stride, pad, dilation, bias, init)`: a 2-D convolution layer.
 *
 * Layout is Flux's: weight `[kW, kH, cin, cout]`, input `[W, H, cin, N]`, output `[W', H', cout, N]`.
 * Like Flux (and unlike PyTorch) it is a true convolution: the kernel is flipped.
 *
 * @example
 * const c = Conv([3, 3], 1, 16, relu, { pad: 1 });
 * c.forward(randn([28, 28, 1, 8])).shape; // [28, 28, 16, 8]
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
