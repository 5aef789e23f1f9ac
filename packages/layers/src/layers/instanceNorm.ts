import { mean, reshape, sub, type Tensor } from "@flux/kernels";
import type { Activation } from "../activation.js";
import { LayerInputError } from "../errors.js";
import { layerConstructor } from "../layer.js";
import { channelShape, checkNormArgs, NORM_FIELDS, NormLayer, type NormOptions } from "./normalisation.js";
import { checkTensorInput } from "./input.js";

/** Options of `InstanceNorm` (Flux's keywords, camelCase; `affine` defaults to false, as Flux). */
export interface InstanceNormOptions extends NormOptions {
  /** Keep running statistics for test mode (default false, as Flux). */
  trackStats?: boolean;
}

class InstanceNormLayer extends NormLayer {
  constructor(chs: number, λ?: Activation, opts: InstanceNormOptions = {}) {
    super(chs, λ, checkNormArgs("InstanceNorm", arguments, chs, λ, opts), {
      affine: false,
      trackStats: false,
    });
  }

  /**
   * Normalises each channel of each observation over the spatial dims (all but the last two). With
   * `trackStats`, training also updates the running statistics in place (their batch means; the variance
   * with the `m/(m-1)` correction, `m` the spatial size) and testing uses them.
   */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    const N = x.rank;
    if (N < 3 || x.shape[N - 2] !== this.chs) {
      throw new LayerInputError(
        `${this.showCompact()} expects a [spatial..., ${this.chs}, batch] input (at least 3 dims), but got [${x.shape.join(", ")}].`,
      );
    }
    const statShape = channelShape(x.shape);
    const dims = x.shape.slice(0, N - 2).map((_, i) => i + 1);
    const [μ, σ2] = this.statistics(x, dims, statShape, (μ, σ2) => {
      // The running statistics: the batch mean of the per-instance ones.
      const m = x.shape.slice(0, N - 2).reduce((a, b) => a * b, 1);
      const perChannel = (t: Tensor) => reshape(mean(t, { dims: N }), [this.chs]);
      this.trackRunning(perChannel(μ), perChannel(σ2), (this.momentum * m) / Math.max(m - 1, 1));
    });
    return this.affineAct(this.standardise(sub(x, μ), σ2), statShape);
  }

  showCompact(): string {
    return this.showNorm("InstanceNorm", `${this.chs}`);
  }
}

/**
 * Flux's `InstanceNorm(channels, λ; initβ, initγ, affine = false, track_stats = false, eps, momentum)`.
 *
 * Each channel of each observation is normalised over its spatial dims (`[W, H, C, N]`: over W and H).
 *
 * @example
 * InstanceNorm(3).forward(randn([4, 4, 3, 2])).shape; // [4, 4, 3, 2]
 */
export const InstanceNorm = layerConstructor(InstanceNormLayer, NORM_FIELDS, ["beta", "gamma"]);
/** An InstanceNorm layer (see `InstanceNorm`). */
export type InstanceNorm = InstanceNormLayer;
