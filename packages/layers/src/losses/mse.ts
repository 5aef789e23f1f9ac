import { square, sub, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, type LossOptions } from "./options.js";

/**
 * Flux's `mse(ŷ, y; agg = mean)`: the mean squared error, `agg((ŷ .- y) .^ 2)`.
 *
 * @example
 * await mse(tensor([1, 2], [2]), tensor([1, 4], [2])).item(); // 2
 */
export function mse(ŷ: Tensor, y: Tensor, opts?: LossOptions): Tensor {
  checkSizes("mse", ŷ, y);
  return aggOf(opts)(square(sub(ŷ, y)));
}
