import { dense, isTensor, reshape, type Tensor, tidy } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { checkActivation, checkArgCount, describeArg, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { identityFn } from "../identity.js";
import { type Init, glorotUniform, zeros32 } from "../init.js";
import { layerConstructor } from "../layer.js";
import { torchLayout } from "../io/torchLayout.js";
import { AbstractLayer } from "./base.js";
import { checkTensorInput } from "./input.js";
import { matchEltype, needsEltype } from "./matchEltype.js";

/** Options of `Dense`. */
export interface DenseOptions {
  /** `true` (default: zeros), `false` (no bias, printed `; bias=false`), or a tensor of shape `[out]`. */
  bias?: boolean | Tensor;
  /** The weight initialiser; default `glorotUniform`. Called with `[out, in]`. */
  init?: Init;
}

const DENSE_OPTIONS = optionNames<DenseOptions>({ bias: true, init: true });

class DenseLayer extends AbstractLayer {
  /** `[out, in]`, as in Flux. */
  weight: Tensor;
  /** `[out]`, or `false` for no bias. */
  bias: Tensor | false;
  /** The activation (Flux's field name). */
  σ: Activation;

  constructor(inn: number, out: number, σ?: Activation, opts?: DenseOptions);
  constructor(weight: Tensor, σ?: Activation, opts?: DenseOptions);
  constructor(first: number | Tensor, ...rest: unknown[]) {
    super();
    if (typeof first !== "number" && !isTensor(first)) {
      throw new LayerArgumentError(
        `Dense: call it as Dense(in, out, σ?, opts?) or Dense(weight, σ?, opts?), got ${describeArg(first)} first.`,
      );
    }
    if (typeof first !== "number") {
      // Flux's Dense(weight, bias, σ): wraps an existing [out, in] matrix.
      checkArgCount("Dense", [first, ...rest], 3, "Dense(weight, σ?, opts?)");
      const [σ, given] = rest as [Activation | undefined, DenseOptions | undefined];
      checkActivation("Dense", σ);
      const opts = optionsArg("Dense", given, DENSE_OPTIONS);
      if (first.rank !== 2) {
        throw new LayerArgumentError(
          `Dense(weight): weight must be a matrix, got [${first.shape.join(", ")}].`,
        );
      }
      this.weight = first;
      this.bias = makeBias(opts.bias, first.shape[0]!);
      this.σ = σ ?? identityFn;
      return;
    }
    checkArgCount("Dense", [first, ...rest], 4, "Dense(in, out, σ?, opts?)");
    const [out, σ, given] = rest as [number, Activation | undefined, DenseOptions | undefined];
    checkActivation("Dense", σ);
    const opts = optionsArg("Dense", given, DENSE_OPTIONS);
    if (!Number.isInteger(first) || first < 1 || !Number.isInteger(out) || out < 1) {
      throw new LayerArgumentError(
        `Dense(in, out): in and out must be positive integers, got ${first} and ${String(out)}.`,
      );
    }
    this.weight = (opts.init ?? glorotUniform)([out, first]);
    this.bias = makeBias(opts.bias, out);
    this.σ = σ ?? identityFn;
  }

  /** `σ.(W * x .+ b)`; inputs with more than 2 dims are flattened to `[in, :]` and reshaped back. */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    // Flux's _match_eltype: f64 or integer data into f32 parameters is converted (the copy freed by tidy).
    const dtype = this.weight.dtype;
    if (needsEltype(x, dtype)) return tidy(() => this.forward(matchEltype(this, x, dtype)));
    const [out, inn] = this.weight.shape as [number, number];
    if (x.shape[0] !== inn) {
      throw new LayerInputError(
        `${this.showCompact()} expects size(input, 1) == ${inn}, but got a [${x.shape.join(", ")}] tensor.`,
      );
    }
    const x2 = x.rank === 2 ? x : reshape(x, [inn, -1]);
    const bias = this.bias === false ? null : this.bias;
    // One kernels op: the GEMM with bias and activation fused (outside `gradient`; recorded unfused under
    // it). kernels' `dense` fuses its own activations and applies any other function after the bias.
    const y = dense(x2, this.weight, bias, this.σ === identityFn ? null : this.σ);
    return x.rank === 2 ? y : reshape(y, [out, ...x.shape.slice(1)]);
  }

  showCompact(): string {
    const [out, inn] = this.weight.shape;
    const act = this.σ === identityFn ? "" : `, ${activationName(this.σ)}`;
    return `Dense(${inn} => ${out}${act}${this.bias === false ? "; bias=false" : ""})`;
  }
}

function makeBias(bias: boolean | Tensor | undefined, out: number): Tensor | false {
  if (bias === false) return false;
  if (bias === undefined || bias === true) return zeros32([out]);
  if (bias.rank !== 1 || bias.shape[0] !== out) {
    throw new LayerArgumentError(
      `Dense: a bias tensor must have shape [${out}], got [${bias.shape.join(", ")}].`,
    );
  }
  return bias;
}

torchLayout(DenseLayer, { weight: "linear" });

/**
 * Flux's `Dense(in => out, σ; bias, init)`: a fully connected layer, `y = σ.(W * x .+ b)`.
 *
 * `weight` has shape `[out, in]` (Julia order), initialised with `glorotUniform` on the CPU; `bias` is
 * zeros, or `false` with `{ bias: false }`. `Dense(weight)` wraps an existing matrix. Inputs are
 * `[in, batch...]`. Call with or without `new`.
 *
 * @example
 * const d = Dense(10, 5, σ);
 * d.weight.shape;            // [5, 10]
 * d.forward(randn([10, 64])).shape; // [5, 64]
 * String(d);                 // "Dense(10 => 5, σ)   # 55 parameters"
 */
export const Dense = layerConstructor(DenseLayer, ["weight", "bias", "σ"]) as typeof DenseLayer & {
  (inn: number, out: number, σ?: Activation, opts?: DenseOptions): DenseLayer;
  (weight: Tensor, σ?: Activation, opts?: DenseOptions): DenseLayer;
};
/** A Dense layer (see `Dense`). */
export type Dense = DenseLayer;
