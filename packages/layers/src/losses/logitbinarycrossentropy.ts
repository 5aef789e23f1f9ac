import { add, mul, neg, softplus, sub, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, type LossOptions } from "./options.js";

/**
 * Flux's `logitbinarycrossentropy(ŷ, y; agg = mean)`: `agg(@. (1 - y) * ŷ - logσ(ŷ))`.
 *
 * Mathematically `binarycrossentropy(σ(ŷ), y)`, computed stably: `-logσ(ŷ) = softplus(-ŷ)`.
 *
 * @example
 * logitbinarycrossentropy(scores, labels);
 */
export function logitbinarycrossentropy(ŷ: Tensor, y: Tensor, opts?: LossOptions): Tensor {
  checkSizes("logitbinarycrossentropy", ŷ, y);
  return aggOf(opts)(add(mul(sub(1, y), ŷ), softplus(neg(ŷ))));
}
