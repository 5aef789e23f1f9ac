import { mul, relu, sub, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, type LossOptions } from "./options.js";

/**
 * Flux's `hinge_loss(ŷ, y; agg = mean)`: `agg(max.(0, 1 .- ŷ .* y))` for labels `y` in {-1, 1} (SVMs).
 *
 * @example
 * await hingeLoss(tensor([2, 0.5], [2]), tensor([1, 1], [2])).item(); // (0 + 0.5) / 2
 */
export function hingeLoss(ŷ: Tensor, y: Tensor, opts?: LossOptions): Tensor {
  checkSizes("hingeLoss", ŷ, y);
  return aggOf(opts)(relu(sub(1, mul(ŷ, y))));
}
