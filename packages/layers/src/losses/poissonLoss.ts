import { sub, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, type LossOptions } from "./options.js";
import { xlogy } from "./xlogy.js";

/**
 * Flux's `poisson_loss(ŷ, y; agg = mean)`: how far the predicted rates `ŷ` are from Poisson-distributed
 * counts `y`, `agg(ŷ .- xlogy.(y, ŷ))`.
 *
 * @example
 * await poissonLoss(tensor([1, 2], [2]), tensor([1, 2], [2])).item(); // (1 + 2 - 2 log 2) / 2
 */
export function poissonLoss(ŷ: Tensor, y: Tensor, opts?: LossOptions): Tensor {
  checkSizes("poissonLoss", ŷ, y);
  return aggOf(opts)(sub(ŷ, xlogy(y, ŷ)));
}
