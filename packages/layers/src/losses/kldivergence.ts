import { add, sum, type Tensor } from "@flux/kernels";
import { crossentropy } from "./crossentropy.js";
import { aggOf, type ClassLossOptions, checkSizes } from "./options.js";
import { xlogx } from "./xlogx.js";

/**
 * Flux's `kldivergence(ŷ, y; dims = 1, agg = mean, eps)`: the Kullback-Leibler divergence of the predicted
 * distributions `ŷ` from the true `y` along `dims`, `agg(sum(xlogx.(y); dims)) + crossentropy(ŷ, y)`.
 * Zero when `ŷ == y`.
 *
 * @example
 * kldivergence(softmax(logits), targets); // ≥ 0
 */
export function kldivergence(ŷ: Tensor, y: Tensor, opts?: ClassLossOptions & { eps?: number }): Tensor {
  checkSizes("kldivergence", ŷ, y);
  const entropy = aggOf(opts)(sum(xlogx(y), { dims: opts?.dims ?? 1 }));
  return add(entropy, crossentropy(ŷ, y, opts));
}
