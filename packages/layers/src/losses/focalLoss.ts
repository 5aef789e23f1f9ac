import { add, log, mul, neg, pow, sub, sum, type Tensor } from "@flux/kernels";
import { aggOf, type ClassLossOptions, checkSizes, epsFor } from "./options.js";

/**
 * Flux's `focal_loss(ŷ, y; dims = 1, agg = mean, gamma = 2, eps)`:
 * `agg(sum(-y .* (1 .- ŷϵ) .^ γ .* log.(ŷϵ); dims))` with `ŷϵ = ŷ .+ ϵ`; `ŷ` holds class probabilities (a
 * softmax output), `y` one-hot labels. `gamma = 0` is `crossentropy`.
 *
 * @example
 * focalLoss(softmax(logits), onehotbatch(labels, classes));
 */
export function focalLoss(
  ŷ: Tensor,
  y: Tensor,
  opts?: ClassLossOptions & { gamma?: number; eps?: number },
): Tensor {
  checkSizes("focalLoss", ŷ, y);
  const γ = opts?.gamma ?? 2;
  const ŷϵ = add(ŷ, opts?.eps ?? epsFor(ŷ));
  const terms = mul(neg(y), mul(pow(sub(1, ŷϵ), γ), log(ŷϵ)));
  return aggOf(opts)(sum(terms, { dims: opts?.dims ?? 1 }));
}
