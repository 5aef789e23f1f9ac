import { reshape, type Tensor } from "@flux/kernels";
import { checkTensorInput } from "./input.js";

/**
 * Flux's `flatten`: reshapes `[d1, ..., dn, N]` to `[d1*...*dn, N]` (keeps the observation dim).
 *
 * A plain function: put it in a Chain as it is.
 *
 * @example
 * Chain(Conv([3, 3], 1, 8), flatten, Dense(26 * 26 * 8, 10));
 */
export function flatten(x: Tensor): Tensor {
  checkTensorInput("flatten", x);
  if (x.rank === 0) return reshape(x, [1, 1]);
  return reshape(x, [-1, x.shape[x.rank - 1]!]);
}
