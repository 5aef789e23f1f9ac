import { abs, lt, mul, square, sub, type Tensor, where } from "@flux/kernels";
import { LayerArgumentError } from "../errors.js";
import { aggOf, checkSizes, type LossOptions } from "./options.js";

/**
 * Flux's `huber_loss(ŷ, y; agg = mean, delta = 1)`: `0.5 |ŷ - y|²` where `|ŷ - y| < δ`, else
 * `δ (|ŷ - y| - 0.5 δ)` (quadratic near zero, linear beyond δ), aggregated by `agg`.
 *
 * @example
 * await huberLoss(tensor([0.5, 3], [2]), tensor([0, 0], [2])).item(); // (0.125 + 2.5) / 2
 */
export function huberLoss(ŷ: Tensor, y: Tensor, opts?: LossOptions & { delta?: number }): Tensor {
  checkSizes("huberLoss", ŷ, y);
  const δ = opts?.delta ?? 1;
  if (!(δ > 0)) throw new LayerArgumentError(`huberLoss: delta must be positive, got ${δ}.`);
  const e = abs(sub(ŷ, y));
  // The branch mask carries no gradient (Flux wraps it in ignore_derivatives): `where` routes the cotangent.
  return aggOf(opts)(where(lt(e, δ), mul(square(e), 0.5), mul(sub(e, 0.5 * δ), δ)));
}
