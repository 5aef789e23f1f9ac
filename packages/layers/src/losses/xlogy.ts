import { eq, log, mul, type Tensor, where } from "@flux/kernels";

/**
 * Flux's `xlogy(x, y)`: `x * log(y)`, and exactly 0 where `x == 0` (even when `y` is 0).
 *
 * @example
 * xlogy(tensor([0, 2], [2]), tensor([0, 1], [2])); // [0, 0]
 */
export function xlogy(x: Tensor, y: Tensor): Tensor {
  return where(eq(x, 0), 0, mul(x, log(y)));
}
