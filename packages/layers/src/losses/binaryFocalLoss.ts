import { add, log, mul, neg, pow, sub, type Tensor } from "@flux/kernels";
import { aggOf, checkSizes, epsFor, type LossOptions } from "./options.js";

/**
 * Flux's `binary_focal_loss(ŷ, y; agg = mean, gamma = 2, eps)`: `agg((1 .- p_t) .^ γ .* -log.(p_t))` with
 * `p_t = y .* (ŷ .+ ϵ) .+ (1 .- y) .* (1 .- ŷ .- ϵ)`; `ŷ` holds probabilities. `gamma = 0` is
 * `binarycrossentropy`.
 *
 * @example
 * binaryFocalLoss(sigmoid(scores), labels, { gamma: 2 });
 */
export function binaryFocalLoss(
  ŷ: Tensor,
  y: Tensor,
  opts?: LossOptions & { gamma?: number; eps?: number },
): Tensor {
  checkSizes("binaryFocalLoss", ŷ, y);
  const γ = opts?.gamma ?? 2;
  const ŷϵ = add(ŷ, opts?.eps ?? epsFor(ŷ));
  const pt = add(mul(y, ŷϵ), mul(sub(1, y), sub(1, ŷϵ)));
  return aggOf(opts)(mul(pow(sub(1, pt), γ), neg(log(pt))));
}
