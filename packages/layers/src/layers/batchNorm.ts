import { reshape, sub, type Tensor } from "@flux/kernels";
import type { Activation } from "../activation.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { layerConstructor } from "../layer.js";
import { isActive } from "../mode.js";
import { channelShape, checkNormArgs, NORM_FIELDS, NormLayer, type NormOptions } from "./normalisation.js";
import { checkTensorInput } from "./input.js";

/** Options of `BatchNorm` (Flux's keywords; `affine` defaults to true). */
export interface BatchNormOptions extends NormOptions {
  /** Keep running mean/variance for test mode (default true). */
  trackStats?: boolean;
}

class BatchNormLayer extends NormLayer {
  constructor(chs: number, λ?: Activation, opts: BatchNormOptions = {}) {
    super(chs, λ, checkNormArgs("BatchNorm", arguments, chs, λ, opts), { affine: true, trackStats: true });
  }

  /**
   * Normalises over every dim but the channel dim (`ndims - 1`). Training uses batch statistics and
   * updates the running ones in place (`μ = (1-m)μ + m·mean`, `σ² = (1-m)σ² + m·var·n/(n-1)`); testing
   * uses the running statistics.
   */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    const N = x.rank;
    if (N < 2 || x.shape[N - 2] !== this.chs) {
      throw new LayerInputError(
        `${this.showCompact()} expects size(input, ${Math.max(N - 1, 1)}) == ${this.chs}, but got a [${x.shape.join(", ")}] tensor.`,
      );
    }
    const statShape = channelShape(x.shape);
    const dims = x.shape.map((_, i) => i + 1).filter((d) => d !== N - 1);
    const n = x.size / this.chs;
    if (isActive(this.active) && n === 1) {
      throw new LayerArgumentError(
        `BatchNorm expected more than 1 value per channel when training, got input of size [${x.shape.join(", ")}]. Use a larger batch or call testmode(m) for inference.`,
      );
    }
    const [μ, σ2] = this.statistics(x, dims, statShape, (μ, σ2) =>
      this.trackRunning(reshape(μ, [this.chs]), reshape(σ2, [this.chs]), (this.momentum * n) / (n - 1)),
    );
    return this.affineAct(this.standardise(sub(x, μ), σ2), statShape);
  }

  showCompact(): string {
    return this.showNorm("BatchNorm", `${this.chs}`);
  }
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
export const BatchNorm = layerConstructor(BatchNormLayer, NORM_FIELDS, ["beta", "gamma"]);
/** A BatchNorm layer (see `BatchNorm`). */
export type BatchNorm = BatchNormLayer;
