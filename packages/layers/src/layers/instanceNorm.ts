import { add, assign, mean, mul, reshape, rsqrt, square, sub, type Tensor } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { LayerArgumentError, LayerInputError, checkActivation, optionsArg } from "../errors.js";
import { identityFn } from "../identity.js";
import { type Init, ones32, zeros32 } from "../init.js";
import { layerConstructor } from "../layer.js";
import { isActive, SET_ACTIVE } from "../mode.js";
import { AbstractLayer } from "./base.js";

/** Options of `InstanceNorm` (Flux's keywords, camelCase). */
export interface InstanceNormOptions {
  initβ?: Init;
  initγ?: Init;
  /** Learnable per-channel shift and scale (default false, as Flux). */
  affine?: boolean;
  /** Keep running statistics for test mode (default false, as Flux). */
  trackStats?: boolean;
  active?: boolean | null;
  /** Default 1e-5. */
  eps?: number;
  /** Default 0.1. */
  momentum?: number;
}

class InstanceNormLayer extends AbstractLayer {
  λ: Activation;
  beta: Tensor | null;
  gamma: Tensor | null;
  /** Running mean (Flux's `μ`) with `trackStats`, non-trainable. */
  mean: Tensor | null;
  /** Running variance (Flux's `σ²`) with `trackStats`, non-trainable. */
  var: Tensor | null;
  eps: number;
  momentum: number;
  affine: boolean;
  trackStats: boolean;
  active: boolean | null;
  chs: number;

  constructor(chs: number, λ?: Activation, opts: InstanceNormOptions = {}) {
    super();
    checkActivation("InstanceNorm", λ);
    opts = optionsArg("InstanceNorm", opts);
    if (!Number.isInteger(chs) || chs < 1)
      throw new LayerArgumentError(`InstanceNorm(chs): chs must be a positive integer, got ${chs}.`);
    this.λ = λ ?? identityFn;
    this.affine = opts.affine ?? false;
    this.trackStats = opts.trackStats ?? false;
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
   * Normalises each channel of each observation over the spatial dims (all but the last two). With
   * `trackStats`, training also updates the running statistics in place (their batch means; the variance
   * with the `m/(m-1)` correction, `m` the spatial size) and testing uses them.
   */
  forward(x: Tensor): Tensor {
    const N = x.rank;
    if (N < 3 || x.shape[N - 2] !== this.chs) {
      throw new LayerInputError(
        `${this.showCompact()} expects a [spatial..., ${this.chs}, batch] input (at least 3 dims), but got [${x.shape.join(", ")}].`,
      );
    }
    const statShape = x.shape.map((d, i) => (i === N - 2 ? d : 1));
    const dims = x.shape.slice(0, N - 2).map((_, i) => i + 1);
    const training = isActive(this.active);
    let μ: Tensor;
    let σ2: Tensor;
    if (training || !this.trackStats) {
      μ = mean(x, { dims });
      σ2 = mean(square(sub(x, μ)), { dims });
      if (training && this.trackStats) trackInstanceStats(this, μ, σ2, x, N);
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
    return `InstanceNorm(${this.chs}${act}${this.affine ? "" : ", affine=false"}${this.active === null ? "" : `, active=${this.active}`})`;
  }
}

// Running statistics: the batch mean of the per-instance statistics, written in place (see BatchNorm).
function trackInstanceStats(l: InstanceNormLayer, μ: Tensor, σ2: Tensor, x: Tensor, N: number): void {
  const m = x.shape.slice(0, N - 2).reduce((a, b) => a * b, 1);
  const mo = l.momentum;
  const perChannel = (t: Tensor) => reshape(mean(t, { dims: N }), [l.chs]);
  const newMean = add(mul(l.mean!, 1 - mo), mul(perChannel(μ), mo));
  const newVar = add(mul(l.var!, 1 - mo), mul(perChannel(σ2), (mo * m) / Math.max(m - 1, 1)));
  assign(l.mean!, newMean);
  assign(l.var!, newVar);
}

/**
 * Flux's `InstanceNorm(channels, λ; initβ, initγ, affine = false, track_stats = false, eps, momentum)`.
 *
 * Each channel of each observation is normalised over its spatial dims (`[W, H, C, N]`: over W and H).
 *
 * @example
 * InstanceNorm(3).forward(randn([4, 4, 3, 2])).shape; // [4, 4, 3, 2]
 */
export const InstanceNorm = layerConstructor(
  InstanceNormLayer,
  ["λ", "beta", "gamma", "mean", "var", "eps", "momentum", "affine", "trackStats", "active", "chs"],
  ["beta", "gamma"],
);
/** An InstanceNorm layer (see `InstanceNorm`). */
export type InstanceNorm = InstanceNormLayer;
