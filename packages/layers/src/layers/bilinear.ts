import { biasAct, isTensor, matmul, reshape, type Tensor, tidy } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { checkActivation, checkArgCount, describeArg, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { identityFn } from "../identity.js";
import { type Init, glorotUniform, zeros32 } from "../init.js";
import { torchLayout } from "../io/torchLayout.js";
import { layerConstructor } from "../layer.js";
import { AbstractLayer } from "./base.js";
import { checkTensorInput } from "./input.js";
import { matchEltype, needsEltype } from "./matchEltype.js";

/** Options of `Bilinear`. */
export interface BilinearOptions {
  /** `true` (zeros, default), `false`, or a `[out]` tensor. */
  bias?: boolean | Tensor;
  /** Called with `[out, in1, in2]`; default `glorotUniform`. */
  init?: Init;
}

const BILINEAR_OPTIONS = optionNames<BilinearOptions>({ bias: true, init: true });

class BilinearLayer extends AbstractLayer {
  /** `[out, in1, in2]` (Flux's layout: the first dim is the output). */
  weight: Tensor;
  bias: Tensor | false;
  σ: Activation;

  constructor(inn: number | readonly [number, number], out: number, σ?: Activation, opts?: BilinearOptions);
  constructor(weight: Tensor, σ?: Activation, opts?: BilinearOptions);
  constructor(first: number | readonly [number, number] | Tensor, ...rest: unknown[]) {
    super();
    let opts: BilinearOptions;
    if (isTensor(first)) {
      if (first.rank !== 3)
        throw new LayerArgumentError(
          `Bilinear(weight): expected a 3-array of weights, got [${first.shape.join(", ")}].`,
        );
      checkArgCount("Bilinear", [first, ...rest], 3, "Bilinear(weight, σ?, opts?)");
      this.weight = first;
      checkActivation("Bilinear", rest[0]);
      this.σ = (rest[0] as Activation | undefined) ?? identityFn;
      opts = optionsArg("Bilinear", rest[1] as BilinearOptions | undefined, BILINEAR_OPTIONS);
    } else {
      if (typeof first !== "number" && !Array.isArray(first))
        throw new LayerArgumentError(
          `Bilinear: call it as Bilinear(in, out), Bilinear([in1, in2], out) or Bilinear(weight), got ${describeArg(first)}.`,
        );
      checkArgCount("Bilinear", [first, ...rest], 4, "Bilinear(in, out, σ?, opts?)");
      const [in1, in2] = typeof first === "number" ? [first, first] : first;
      const out = rest[0] as number;
      if (![in1, in2, out].every((d) => Number.isInteger(d) && d >= 1))
        throw new LayerArgumentError(
          `Bilinear((in1, in2), out): sizes must be positive integers, got ${JSON.stringify(first)} and ${String(out)}.`,
        );
      checkActivation("Bilinear", rest[1]);
      this.σ = (rest[1] as Activation | undefined) ?? identityFn;
      opts = optionsArg("Bilinear", rest[2] as BilinearOptions | undefined, BILINEAR_OPTIONS);
      this.weight = (opts.init ?? glorotUniform)([out, in1, in2]);
    }
    const out = this.weight.shape[0]!;
    if (opts.bias === false) this.bias = false;
    else if (opts.bias === undefined || opts.bias === true) this.bias = zeros32([out]);
    else if (opts.bias.rank === 1 && opts.bias.shape[0] === out) this.bias = opts.bias;
    else
      throw new LayerArgumentError(
        `Bilinear: a bias tensor must have shape [${out}], got [${opts.bias.shape.join(", ")}].`,
      );
  }

  /**
   * `z[o, s] = σ(x[:, s]ᵀ W[o, :, :] y[:, s] + b[o])` for `x` `[in1, batch]` and `y` `[in2, batch]` (vectors
   * too); `y` defaults to `x`, and `forward([x, y])` takes a pair (for a Chain). Two products: `W` as an
   * `[out*in1, in2]` matrix times `y`, then one batched matmul with the columns of `x`.
   */
  forward(x: Tensor | readonly [Tensor, Tensor], y?: Tensor): Tensor {
    if (Array.isArray(x) && y === undefined) return this.forward(x[0], x[1]);
    checkTensorInput(this, x);
    if (y !== undefined) checkTensorInput(this, y, "y");
    // Flux's _match_eltype: f64 or integer data into f32 parameters is converted (the copies freed by tidy).
    const dtype = this.weight.dtype;
    if (needsEltype(x, dtype) || (y !== undefined && needsEltype(y, dtype)))
      return tidy(() =>
        this.forward(matchEltype(this, x, dtype), y === undefined ? undefined : matchEltype(this, y, dtype)),
      );
    const other = y ?? x;
    if (x.rank === 1 && other.rank === 1) {
      const z = this.forward(reshape(x, [x.shape[0]!, 1]), reshape(other, [other.shape[0]!, 1]));
      return reshape(z, [z.shape[0]!]);
    }
    const [dz, dx, dy] = this.weight.shape as [number, number, number];
    if (x.rank !== 2 || other.rank !== 2 || x.shape[0] !== dx || other.shape[0] !== dy)
      throw new LayerInputError(
        `${this.showCompact()} expects inputs [${dx}, batch] and [${dy}, batch], got [${x.shape.join(", ")}] and [${other.shape.join(", ")}].`,
      );
    if (x.shape[1] !== other.shape[1])
      throw new LayerInputError(
        `${this.showCompact()}: the inputs must agree on the number of columns, got ${x.shape[1]} and ${other.shape[1]}.`,
      );
    const n = x.shape[1]!;
    const Wy = reshape(matmul(reshape(this.weight, [dz * dx, dy]), other), [dz, dx, n]);
    const Z = reshape(matmul(Wy, reshape(x, [dx, 1, n])), [dz, n]);
    const act = this.σ === identityFn ? null : this.σ;
    return this.bias === false ? (act === null ? Z : act(Z)) : biasAct(act, Z, this.bias);
  }

  showCompact(): string {
    const [out, in1, in2] = this.weight.shape;
    let s = in1 === in2 ? `Bilinear(${in1} => ${out}` : `Bilinear((${in1}, ${in2}) => ${out}`;
    if (this.σ !== identityFn) s += `, ${activationName(this.σ)}`;
    if (this.bias === false) s += "; bias=false";
    return `${s})`;
  }
}

// nn.Bilinear keeps the same [out, in1, in2] weight, row-major.
torchLayout(BilinearLayer, { weight: "linear" });

/**
 * Flux's `Bilinear((in1, in2) => out, σ; bias, init)` or `Bilinear(W, σ?, { bias })`: a layer fully connected
 * between two inputs and the output, `z[o] = σ(xᵀ W[o, :, :] y + b[o])`. `Bilinear(in, out)` for
 * `in1 == in2`.
 *
 * @example
 * const B = Bilinear([5, 5], 7);
 * B.forward(randn([5, 32])).shape; // [7, 32]
 * String(B); // "Bilinear(5 => 7)    # 182 parameters"
 */
export const Bilinear = layerConstructor(BilinearLayer, ["weight", "bias", "σ"]) as typeof BilinearLayer & {
  (
    inn: number | readonly [number, number],
    out: number,
    σ?: Activation,
    opts?: BilinearOptions,
  ): BilinearLayer;
  (weight: Tensor, σ?: Activation, opts?: BilinearOptions): BilinearLayer;
};
/** A Bilinear layer (see `Bilinear`). */
export type Bilinear = BilinearLayer;
