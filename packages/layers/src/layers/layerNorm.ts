import { layernorm, type Tensor } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { checkActivation, checkArgCount, describeArg, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { identityFn } from "../identity.js";
import { layerConstructor } from "../layer.js";
import { AbstractLayer } from "./base.js";
import { Scale } from "./scale.js";
import { checkTensorInput } from "./input.js";

/** The options of `LayerNorm`: a learnable `Scale` (`affine`, default true) and the variance guard `eps`. */
type LayerNormOptions = { affine?: boolean; eps?: number };
const LAYER_NORM_OPTIONS = optionNames<LayerNormOptions>({ affine: true, eps: true });

class LayerNormLayer extends AbstractLayer {
  λ: Activation;
  /** The affine part (a `Scale` with `scale` and `bias` of shape `size`), or null with `affine: false`. */
  diag: Scale | null;
  eps: number;
  size: readonly number[];
  affine: boolean;

  constructor(size: number | readonly number[], λ?: Activation, opts: LayerNormOptions = {}) {
    super();
    checkArgCount("LayerNorm", arguments, 3, "LayerNorm(size, λ?, opts?)");
    checkActivation("LayerNorm", λ);
    opts = optionsArg("LayerNorm", opts, LAYER_NORM_OPTIONS);
    if (typeof size !== "number" && !Array.isArray(size))
      throw new LayerArgumentError(
        `LayerNorm: call it as LayerNorm(size, λ?, opts?), got ${describeArg(size)}.`,
      );
    this.size = typeof size === "number" ? [size] : [...size];
    if (this.size.length === 0 || this.size.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new LayerArgumentError(
        `LayerNorm(size): size must be positive integers, got [${this.size.join(", ")}].`,
      );
    }
    this.λ = λ ?? identityFn;
    this.affine = opts.affine ?? true;
    this.diag = this.affine ? Scale(this.size, this.λ) : null;
    this.eps = opts.eps ?? 1e-5;
  }

  /** Normalises over the first `size.length` dims (mean 0, variance 1), then the affine part and λ. */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    this.size.forEach((d, i) => {
      if (x.shape[i] !== d) {
        throw new LayerInputError(
          `${this.showCompact()} expects size(input, ${i + 1}) == ${d}, but got a [${x.shape.join(", ")}] tensor.`,
        );
      }
    });
    // One fused primitive each way: (x .- μ) ./ sqrt.(σ² .+ eps) over the first length(size) dims, with the
    // affine Scale's `.* scale .+ bias` in the same pass where the backend fuses it (the CPU).
    const dims = this.size.length;
    const d = this.diag;
    if (d instanceof Scale) {
      const bias = d.bias === false ? null : d.bias;
      const y = layernorm(x, { dims, eps: this.eps, scale: d.scale, bias });
      return d.σ === identityFn ? y : d.σ(y);
    }
    const y = layernorm(x, { dims, eps: this.eps });
    // (a diag replaced by another kind of layer, say by fmap, keeps its own forward)
    if (d !== null) return (d as { forward(x: Tensor): Tensor }).forward(y);
    return this.λ === identityFn ? y : this.λ(y);
  }

  showCompact(): string {
    const act = this.λ === identityFn ? "" : `, ${activationName(this.λ)}`;
    return `LayerNorm(${this.size.join(", ")}${act}${this.affine ? "" : ", affine=false"})`;
  }
}

/**
 * Flux's `LayerNorm(size..., λ; affine, eps)`: normalises each observation over its first dims.
 *
 * With `affine` (default) a `Scale` holds the learnable `scale` and `bias` (key paths `diag.scale`,
 * `diag.bias`, as in Flux).
 *
 * @example
 * LayerNorm(5).forward(randn([5, 8])); // each column has mean 0 and variance 1
 */
export const LayerNorm = layerConstructor(LayerNormLayer, ["λ", "diag", "eps", "size", "affine"]);
/** A LayerNorm layer (see `LayerNorm`). */
export type LayerNorm = LayerNormLayer;
