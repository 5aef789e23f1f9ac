import { eq, log, mul, type Tensor, where } from "@flux/kernels";

/**
 * Flux's `xlogx(x)`: `x * log(x)`, and exactly 0 where `x == 0` (the limit from above).
 *
 * @example
 * xlogx(tensor([0, 1], [2])); // [0, 0]
 */
export function xlogx(x: Tensor): Tensor {
  return where(eq(x, 0), 0, mul(x, log(x)));
}
