import { add, neg, sub, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, epsFor, type LossOptions } from "./options.js";
import { xlogy } from "./xlogy.js";

/**
 * Flux's `binarycrossentropy(ŷ, y; agg = mean, eps)`:
 * `agg(@. -xlogy(y, ŷ + eps) - xlogy(1 - y, 1 - ŷ + eps))`.
 *
 * `ŷ` holds probabilities (after `σ`); prefer `logitbinarycrossentropy` on raw scores.
 *
 * @example
 * binarycrossentropy(sigmoid(scores), labels);
 */
export function binarycrossentropy(ŷ: Tensor, y: Tensor, opts?: LossOptions & { eps?: number }): Tensor {
  checkSizes("binarycrossentropy", ŷ, y);
  const ϵ = opts?.eps ?? epsFor(ŷ);
  const pos = xlogy(y, add(ŷ, ϵ));
  const negative = xlogy(sub(1, y), add(sub(1, ŷ), ϵ));
  return aggOf(opts)(sub(neg(pos), negative));
}
