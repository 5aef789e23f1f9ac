import { abs, sub, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, type LossOptions } from "./options.js";

/**
 * Flux's `mae(ŷ, y; agg = mean)`: the mean absolute error, `agg(abs.(ŷ .- y))`.
 *
 * @example
 * await mae(tensor([1, 2], [2]), tensor([1, 4], [2])).item(); // 1
 */
export function mae(ŷ: Tensor, y: Tensor, opts?: LossOptions): Tensor {
  checkSizes("mae", ŷ, y);
  return aggOf(opts)(abs(sub(ŷ, y)));
}
