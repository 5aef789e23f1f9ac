import { mul, relu, square, sub, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, type LossOptions } from "./options.js";

/**
 * Flux's `squared_hinge_loss(ŷ, y; agg = mean)`: `agg(max.(0, 1 .- ŷ .* y) .^ 2)` for labels in {-1, 1}.
 *
 * @example
 * await squaredHingeLoss(tensor([2, 0.5], [2]), tensor([1, 1], [2])).item(); // (0 + 0.25) / 2
 */
export function squaredHingeLoss(ŷ: Tensor, y: Tensor, opts?: LossOptions): Tensor {
  checkSizes("squaredHingeLoss", ŷ, y);
  return aggOf(opts)(square(relu(sub(1, mul(ŷ, y)))));
}
