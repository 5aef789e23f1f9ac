import { add, mean, mul, reshape, rsqrt, square, sub, type Tensor } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { LayerArgumentError, LayerInputError, checkActivation, optionsArg } from "../errors.js";
import { identityFn } from "../identity.js";
import { type Init, ones32, zeros32 } from "../init.js";
import { layerConstructor } from "../layer.js";
import { SET_ACTIVE } from "../mode.js";
import { AbstractLayer } from "./base.js";

/** Options of `GroupNorm` (Flux's keywords). */
export interface GroupNormOptions {
  initβ?: Init;
  initγ?: Init;
  /** Learnable per-channel shift and scale (default true). */
  affine?: boolean;
  active?: boolean | null;
  /** Default 1e-5. */
  eps?: number;
  /** Kept for Flux's field list; GroupNorm keeps no running statistics. Default 0.1. */
  momentum?: number;
}

class GroupNormLayer extends AbstractLayer {
  G: number;
  λ: Activation;
  /** Per-channel shift (Flux's `β`), `[chs]`, or null without `affine`. */
  beta: Tensor | null;
  /** Per-channel scale (Flux's `γ`). */
  gamma: Tensor | null;
  /** Always null: GroupNorm tracks no statistics (Flux's `μ = nothing`). */
  mean: null;
  /** Always null (Flux's `σ² = nothing`). */
  var: null;
  eps: number;
  momentum: number;
  affine: boolean;
  trackStats: boolean;
  active: boolean | null;
  chs: number;

  constructor(chs: number, G: number, λ?: Activation, opts: GroupNormOptions = {}) {
    super();
    checkActivation("GroupNorm", λ);
    opts = optionsArg("GroupNorm", opts);
    if (!Number.isInteger(chs) || chs < 1 || !Number.isInteger(G) || G < 1)
      throw new LayerArgumentError(
        `GroupNorm(chs, G): chs and G must be positive integers, got ${chs} and ${G}.`,
      );
    if (chs % G !== 0)
      throw new LayerArgumentError(
        `GroupNorm: the number of groups (${G}) must divide the number of channels (${chs}).`,
      );
    this.G = G;
    this.λ = λ ?? identityFn;
    this.affine = opts.affine ?? true;
    this.beta = this.affine ? (opts.initβ ?? zeros32)([chs]) : null;
    this.gamma = this.affine ? (opts.initγ ?? ones32)([chs]) : null;
    this.mean = null;
    this.var = null;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.trackStats = false;
    this.active = opts.active ?? null;
    this.chs = chs;
  }

  /**
   * Splits the channel dim (`ndims - 1`) into `G` groups and normalises each group of each observation over
   * its channels and all spatial dims (mean 0, biased variance 1), then the per-channel affine part and λ.
   */
  forward(x: Tensor): Tensor {
    const N = x.rank;
    if (N < 2 || x.shape[N - 2] !== this.chs) {
      throw new LayerInputError(
        `${this.showCompact()} expects size(input, ${Math.max(N - 1, 1)}) == ${this.chs}, but got a [${x.shape.join(", ")}] tensor.`,
      );
    }
    const spatial = x.shape.slice(0, N - 2);
    const batch = x.shape[N - 1]!;
    // [spatial..., C/G, G, N]: statistics over every dim but the last two.
    const grouped = reshape(x, [...spatial, this.chs / this.G, this.G, batch]);
    const dims = [...spatial.keys(), spatial.length].map((i) => i + 1);
    const μ = mean(grouped, { dims });
    const centred = sub(grouped, μ);
    const σ2 = mean(square(centred), { dims });
    let y = reshape(mul(centred, rsqrt(add(σ2, this.eps))), x.shape);
    if (this.affine) {
      const s = x.shape.map((d, i) => (i === N - 2 ? d : 1));
      y = add(mul(y, reshape(this.gamma!, s)), reshape(this.beta!, s));
    }
    return this.λ === identityFn ? y : this.λ(y);
  }

  [SET_ACTIVE](active: boolean | null): void {
    this.active = active;
  }

  showCompact(): string {
    const act = this.λ === identityFn ? "" : `, ${activationName(this.λ)}`;
    return `GroupNorm(${this.chs}, ${this.G}${act}${this.affine ? "" : ", affine=false"}${this.active === null ? "" : `, active=${this.active}`})`;
  }
}

/**
 * Flux's `GroupNorm(channels, G, λ; initβ, initγ, affine, eps, momentum)`: group normalisation.
 *
 * The channel dim is the second-to-last (`[W, H, C, N]`); `G` must divide it. `beta`/`gamma` (Flux's β, γ)
 * are per channel and trainable. The same in training and testing (no running statistics).
 *
 * @example
 * GroupNorm(4, 2).forward(randn([3, 3, 4, 2])).shape; // [3, 3, 4, 2]
 */
export const GroupNorm = layerConstructor(
  GroupNormLayer,
  ["G", "λ", "beta", "gamma", "mean", "var", "eps", "momentum", "affine", "trackStats", "active", "chs"],
  ["beta", "gamma"],
);
/** A GroupNorm layer (see `GroupNorm`). */
export type GroupNorm = GroupNormLayer;
