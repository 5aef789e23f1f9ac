import { logsoftmax, mul, neg, sum, type Tensor } from "@flux/kernels";
import { aggOf, type ClassLossOptions, checkSizes } from "./options.js";

/**
 * Flux's `logitcrossentropy(ŷ, y; dims = 1, agg = mean)`: `agg(-sum(y .* logsoftmax(ŷ; dims); dims))`.
 *
 * Mathematically `crossentropy(softmax(ŷ), y)`, computed stably through `logsoftmax`.
 *
 * @example
 * const loss = logitcrossentropy(model.forward(x), onehotbatch(labels, 10));
 */
export function logitcrossentropy(ŷ: Tensor, y: Tensor, opts?: ClassLossOptions): Tensor {
  checkSizes("logitcrossentropy", ŷ, y);
  const dims = opts?.dims ?? 1;
  return aggOf(opts)(neg(sum(mul(y, logsoftmax(ŷ, { dims })), { dims })));
}
