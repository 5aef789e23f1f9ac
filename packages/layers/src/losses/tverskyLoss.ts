import { add, div, mul, sub, sum, type Tensor } from "@flux/kernels";
import { checkSizes } from "./options.js";

/**
 * Flux's `tversky_loss(ŷ, y; beta = 0.7)`: `1 - (sum(y .* ŷ) + 1) / (sum(y .* ŷ + β (1 .- y) .* ŷ +
 * (1 - β) y .* (1 .- ŷ)) + 1)` (as Flux's code computes it), for imbalanced segmentation. A scalar: Flux
 * gives it no `agg`.
 *
 * @example
 * tverskyLoss(sigmoid(scores), masks, { beta: 0.7 });
 */
export function tverskyLoss(ŷ: Tensor, y: Tensor, opts?: { beta?: number }): Tensor {
  checkSizes("tverskyLoss", ŷ, y);
  const β = opts?.beta ?? 0.7;
  const tp = mul(y, ŷ);
  const fp = mul(mul(sub(1, y), ŷ), β);
  const fn = mul(mul(y, sub(1, ŷ)), 1 - β);
  const num = add(sum(tp), 1);
  const den = add(sum(add(add(tp, fp), fn)), 1);
  return sub(1, div(num, den));
}
