import { type Tensor, add, div, fill, mul, sqrt, square } from "@flux/kernels";
import { LEARNING_RATE, POSITIVE } from "../ranges.js";
import { defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";

/** Hyper-parameters of `AdaGrad`. */
export interface AdaGradHyper {
  /** Learning rate η (default 0.1). */
  readonly eta: number;
  /** ϵ: the accumulator's start value and the denominator's guard (default 1e-8). */
  readonly epsilon: number;
}

/**
 * AdaGrad (Optimisers.jl's `AdaGrad(η = 0.1, ϵ = 1e-8)`): `acc = acc + dx²` (starting at ϵ), then
 * `dx' = η dx / (sqrt(acc) + ϵ)`. State: `acc`.
 *
 * Positional: `AdaGrad(eta, epsilon)`; or `AdaGrad({ eta, epsilon })`.
 *
 * @example
 * const state = setup(AdaGrad(), model);
 */
export const AdaGrad = defineRule<AdaGradHyper, Tensor>({
  kind: "AdaGrad",
  defaults: { eta: 0.1, epsilon: 1e-8 },
  positional: ["eta", "epsilon"],
  ranges: { eta: LEARNING_RATE, epsilon: POSITIVE },
  init: (h, x) => fill(ofDtype(x.dtype, h.epsilon), x.shape, { dtype: x.dtype, device: x.device }),
  apply: (h, acc, x, dx) => {
    const T = x.dtype;
    const a = add(acc, square(dx));
    const step = div(mul(dx, ofDtype(T, h.eta)), add(sqrt(a), epsOf(T, h.epsilon)));
    return [a, step];
  },
  fused: (h, acc, x) => ({
    ops: [{ kind: "adagrad", eta: ofDtype(x.dtype, h.eta), epsilon: epsOf(x.dtype, h.epsilon) }],
    tensors: [acc],
    next: acc,
  }),
});
