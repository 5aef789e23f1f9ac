import { add, eq, log, mul, type Tensor, where } from "@flux/kernels";

/**
 * Flux's `xlogy(x, y)`: `x * log(y)`, and exactly 0 where `x == 0` (even when `y` is 0).
 *
 * Gradients as Flux's rule for the broadcast `xlogy.(x, y)`: `Δ * log(y)` for `x` (also where `x == 0`, so
 * the gradient with respect to targets that are 0 is not lost) and `Δ * x / y` for `y`. Where `x == 0` and
 * `log(y)` is not finite (`y <= 0`), `x`'s gradient is 0 (Flux: `-Inf` or `NaN`).
 *
 * @example
 * xlogy(tensor([0, 2], [2]), tensor([0, 1], [2])); // [0, 0]
 */
export function xlogy(x: Tensor, y: Tensor): Tensor {
  const ly = log(y);
  const atZero = eq(x, 0);
  // False only where x == 0 and log(y) is ±Inf or NaN (0 * it is NaN there): that log(y) is replaced by 0,
  // so x * log(y) is 0 at every x == 0 while the cotangent of x keeps log(y) where it is finite.
  const usable = eq(mul(where(atZero, ly, 0), 0), 0);
  // `+ 0` turns the -0 of 0 * (negative log) into Flux's +0.
  return add(mul(x, where(usable, ly, 0)), 0);
}
