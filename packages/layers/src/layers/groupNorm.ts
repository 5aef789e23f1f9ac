import { mean, reshape, square, sub, type Tensor } from "@flux/kernels";
import type { Activation } from "../activation.js";
import { checkActivation, checkArgCount, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { layerConstructor } from "../layer.js";
import {
  channelShape,
  NORM_FIELDS,
  NORM_OPTION_NAMES,
  NormLayer,
  type NormOptions,
} from "./normalisation.js";
import { checkTensorInput } from "./input.js";

/**
 * Options of `GroupNorm` (Flux's keywords; `affine` defaults to true; `momentum` is kept for Flux's field
 * list, GroupNorm keeps no running statistics).
 */
export type GroupNormOptions = NormOptions;

class GroupNormLayer extends NormLayer {
  G: number;
  /** Always null: GroupNorm tracks no statistics (Flux's `μ = nothing`). */
  declare mean: null;
  /** Always null (Flux's `σ² = nothing`). */
  declare var: null;

  constructor(chs: number, G: number, λ?: Activation, opts: GroupNormOptions = {}) {
    checkArgCount("GroupNorm", arguments, 4, "GroupNorm(chs, G, λ?, opts?)");
    if (!Number.isInteger(chs) || chs < 1 || !Number.isInteger(G) || G < 1)
      throw new LayerArgumentError(
        `GroupNorm(chs, G): chs and G must be positive integers, got ${chs} and ${G}.`,
      );
    if (chs % G !== 0)
      throw new LayerArgumentError(
        `GroupNorm: the number of groups (${G}) must divide the number of channels (${chs}).`,
      );
    checkActivation("GroupNorm", λ);
    super(
      chs,
      λ,
      {
        ...optionsArg("GroupNorm", opts, optionNames<GroupNormOptions>(NORM_OPTION_NAMES)),
        trackStats: false,
      },
      { affine: true, trackStats: false },
    );
    this.G = G;
  }

  /**
   * Splits the channel dim (`ndims - 1`) into `G` groups and normalises each group of each observation over
   * its channels and all spatial dims (mean 0, biased variance 1), then the per-channel affine part and λ.
   */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
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
    return this.affineAct(reshape(this.standardise(centred, σ2), x.shape), channelShape(x.shape));
  }

  showCompact(): string {
    return this.showNorm("GroupNorm", `${this.chs}, ${this.G}`);
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
export const GroupNorm = layerConstructor(GroupNormLayer, ["G", ...NORM_FIELDS], ["beta", "gamma"]);
/** A GroupNorm layer (see `GroupNorm`). */
export type GroupNorm = GroupNormLayer;
