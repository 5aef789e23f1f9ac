import { add, div, log, square, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, epsFor, type LossOptions } from "./options.js";

/**
 * Flux's `msle(ŷ, y; agg = mean, eps)`: the mean squared logarithmic error,
 * `agg(log.((ŷ .+ ϵ) ./ (y .+ ϵ)) .^ 2)`. Penalises under-estimates more than over-estimates.
 *
 * @example
 * await msle(tensor([0.9, 3.1], [2]), tensor([1, 3], [2])).item(); // ≈ 0.0064
 */
export function msle(ŷ: Tensor, y: Tensor, opts?: LossOptions & { eps?: number }): Tensor {
  checkSizes("msle", ŷ, y);
  const ϵ = opts?.eps ?? epsFor(ŷ);
  return aggOf(opts)(square(log(div(add(ŷ, ϵ), add(y, ϵ)))));
}
