import { add, neg, sum, type Tensor } from "@flux/kernels";
import { aggOf, type ClassLossOptions, checkSizes, epsFor } from "./options.js";
import { xlogy } from "./xlogy.js";

/**
 * Flux's `crossentropy(ŷ, y; dims = 1, agg = mean, eps)`: `agg(-sum(y .* log.(ŷ .+ eps); dims))`.
 *
 * `ŷ` holds probabilities (e.g. after `softmax`); prefer `logitcrossentropy` on raw scores, which is
 * numerically stabler. `eps` defaults to `eps(Float32)`.
 *
 * @example
 * crossentropy(softmax(logits), onehotbatch(labels, 10));
 */
export function crossentropy(ŷ: Tensor, y: Tensor, opts?: ClassLossOptions & { eps?: number }): Tensor {
  checkSizes("crossentropy", ŷ, y);
  const ϵ = opts?.eps ?? epsFor(ŷ);
  return aggOf(opts)(neg(sum(xlogy(y, add(ŷ, ϵ)), { dims: opts?.dims ?? 1 })));
}
