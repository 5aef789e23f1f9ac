import { add, div, mul, square, sub, sum, type Tensor } from "@flux/kernels";
import { checkSizes } from "./options.js";

/**
 * Flux's `dice_coeff_loss(ŷ, y; smooth = 1)`: `1 - (2 sum(y .* ŷ) + s) / (sum(y .^ 2) + sum(ŷ .^ 2) + s)`,
 * a segmentation loss (V-Net). A scalar over the whole arrays: Flux gives it no `agg`.
 *
 * @example
 * await diceCoeffLoss(y, y).item(); // 0 for a perfect prediction
 */
export function diceCoeffLoss(ŷ: Tensor, y: Tensor, opts?: { smooth?: number }): Tensor {
  checkSizes("diceCoeffLoss", ŷ, y);
  const s = opts?.smooth ?? 1;
  const num = add(mul(sum(mul(y, ŷ)), 2), s);
  const den = add(add(sum(square(y)), sum(square(ŷ))), s);
  return sub(1, div(num, den));
}
