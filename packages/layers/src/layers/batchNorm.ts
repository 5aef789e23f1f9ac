import { add, assign, mean, mul, reshape, rsqrt, square, sub, type Tensor } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { LayerArgumentError, LayerInputError, checkActivation, optionsArg } from "../errors.js";
import { identityFn } from "../identity.js";
import { type Init, ones32, zeros32 } from "../init.js";
import { layerConstructor } from "../layer.js";
import { isActive, SET_ACTIVE } from "../mode.js";
import { AbstractLayer } from "./base.js";

/** Options of `BatchNorm` (Flux's keywords). */
export interface BatchNormOptions {
  initβ?: Init;
  initγ?: Init;
  /** Learnable shift and scale (default true). */
  affine?: boolean;
  /** Keep running mean/variance for test mode (default true). */
  trackStats?: boolean;
  active?: boolean | null;
  /** Default 1e-5. */
  eps?: number;
  /** Default 0.1. */
  momentum?: number;
}

class BatchNormLayer extends AbstractLayer {
  λ: Activation;
  /** Shift (Flux's `β`), `[chs]`, or null without `affine`. */
  beta: Tensor | null;
  /** Scale (Flux's `γ`). */
  gamma: Tensor | null;
  /** Running mean (Flux's `μ`), non-trainable. */
  mean: Tensor | null;
  /** Running variance (Flux's `σ²`), non-trainable. */
  var: Tensor | null;
  eps: number;
  momentum: number;
  affine: boolean;
  trackStats: boolean;
  active: boolean | null;
  chs: number;

  constructor(chs: number, λ?: Activation, opts: BatchNormOptions = {}) {
    super();
    checkActivation("BatchNorm", λ);
    opts = optionsArg("BatchNorm", opts);
    if (!Number.isInteger(chs) || chs < 1)
      throw new LayerArgumentError(`BatchNorm(chs): chs must be a positive integer, got ${chs}.`);
    this.λ = λ ?? identityFn;
    this.affine = opts.affine ?? true;
    this.trackStats = opts.trackStats ?? true;
    this.beta = this.affine ? (opts.initβ ?? zeros32)([chs]) : null;
    this.gamma = this.affine ? (opts.initγ ?? ones32)([chs]) : null;
    this.mean = this.trackStats ? zeros32([chs]) : null;
    this.var = this.trackStats ? ones32([chs]) : null;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.active = opts.active ?? null;
    this.chs = chs;
  }

  /**
   * Normalises over every dim but the channel dim (`ndims - 1`). Training uses batch statistics and
   * updates the running ones in place (`μ = (1-m)μ + m·mean`, `σ² = (1-m)σ² + m·var·n/(n-1)`); testing
   * uses the running statistics.
   */
  forward(x: Tensor): Tensor {
    const N = x.rank;
    if (N < 2 || x.shape[N - 2] !== this.chs) {
      throw new LayerInputError(
        `${this.showCompact()} expects size(input, ${Math.max(N - 1, 1)}) == ${this.chs}, but got a [${x.shape.join(", ")}] tensor.`,
      );
    }
    const statShape = x.shape.map((d, i) => (i === N - 2 ? d : 1));
    const dims = x.shape.map((_, i) => i + 1).filter((d) => d !== N - 1);
    const training = isActive(this.active);
    const n = x.size / this.chs;
    if (training && n === 1) {
      throw new LayerArgumentError(
        `BatchNorm expected more than 1 value per channel when training, got input of size [${x.shape.join(", ")}]. Use a larger batch or call testmode(m) for inference.`,
      );
    }
    let μ: Tensor;
    let σ2: Tensor;
    if (training || !this.trackStats) {
      μ = mean(x, { dims });
      σ2 = mean(square(sub(x, μ)), { dims });
      if (training && this.trackStats) trackRunningStats(this, μ, σ2, n);
    } else {
      μ = reshape(this.mean!, statShape);
      σ2 = reshape(this.var!, statShape);
    }
    let y = mul(sub(x, μ), rsqrt(add(σ2, this.eps)));
    if (this.affine) y = add(mul(y, reshape(this.gamma!, statShape)), reshape(this.beta!, statShape));
    return this.λ === identityFn ? y : this.λ(y);
  }

  [SET_ACTIVE](active: boolean | null): void {
    this.active = active;
  }

  showCompact(): string {
    const act = this.λ === identityFn ? "" : `, ${activationName(this.λ)}`;
    return `BatchNorm(${this.chs}${act}${this.affine ? "" : ", affine=false"}${this.active === null ? "" : `, active=${this.active}`})`;
  }
}

// Running statistics are written in place: they live outside any gradient call, and writing (not
// replacing) keeps them valid after `gradient` frees its temporaries. A function, not a `#private` method:
// device moves rebuild layers with Object.create, and a rebuilt copy has no private brand.
function trackRunningStats(bn: BatchNormLayer, μ: Tensor, σ2: Tensor, n: number): void {
  const m = bn.momentum;
  const newMean = add(mul(bn.mean!, 1 - m), mul(reshape(μ, [bn.chs]), m));
  const newVar = add(mul(bn.var!, 1 - m), mul(reshape(σ2, [bn.chs]), (m * n) / (n - 1)));
  assign(bn.mean!, newMean);
  assign(bn.var!, newVar);
}

/**
 * Flux's `BatchNorm(channels, λ; affine, track_stats, active, eps, momentum)`.
 *
 * The channel dim is the second-to-last (`[features, batch]` or `[W, H, C, N]`). `beta`/`gamma` (Flux's
 * β, γ) are trainable; the running `mean`/`var` (Flux's μ, σ²) are children but not trainable, so they are
 * saved and moved with the model and never touched by optimisers.
 *
 * @example
 * const bn = trainmode(BatchNorm(3));
 * bn.forward(randn([4, 4, 3, 2])).shape; // [4, 4, 3, 2]
 */
export const BatchNorm = layerConstructor(
  BatchNormLayer,
  ["λ", "beta", "gamma", "mean", "var", "eps", "momentum", "affine", "trackStats", "active", "chs"],
  ["beta", "gamma"],
);
/** A BatchNorm layer (see `BatchNorm`). */
export type BatchNorm = BatchNormLayer;
