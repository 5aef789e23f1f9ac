import { type Tensor, add, div, mul, sqrt, square, sub, zerosLike } from "@flux/kernels";
import { DECAY, LEARNING_RATE, POSITIVE } from "../ranges.js";
import { type Betas, defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";
import type { AdamHyper } from "./adam.js";
import { betaPowers, nextPowers } from "./moments.js";

/** Hyper-parameters of `AdaBelief` (those of Adam; ϵ defaults to 1e-16). */
export type AdaBeliefHyper = AdamHyper;

/** `AdaBelief`'s state: first moment `mt`, the "belief" `st` (variance of dx around mt), powers `betat`. */
export interface AdaBeliefState {
  readonly mt: Tensor;
  readonly st: Tensor;
  readonly betat: Betas;
}

/**
 * AdaBelief (Optimisers.jl's `AdaBelief(η = 0.001, β = (0.9, 0.999), ϵ = 1e-16)`): Adam whose second
 * moment tracks how far the gradient strays from its running mean rather than its size, so steps are
 * large where the gradient is predictable and small where it is noisy:
 * `m = β₁ m + (1-β₁) dx`, `s = β₂ s + (1-β₂) (dx - m)² + ϵ` (with the new `m`), then
 * `dx' = η m / (1-β₁ᵗ) / (sqrt(s / (1-β₂ᵗ)) + ϵ)`.
 *
 * Positional: `AdaBelief(eta, beta, epsilon)`; or `AdaBelief({ eta, beta, epsilon })`.
 *
 * @example
 * const state = setup(AdaBelief(1e-3), model);
 */
export const AdaBelief = defineRule<AdaBeliefHyper, AdaBeliefState>({
  kind: "AdaBelief",
  defaults: { eta: 0.001, beta: [0.9, 0.999], epsilon: 1e-16 },
  positional: ["eta", "beta", "epsilon"],
  ranges: { eta: LEARNING_RATE, beta: DECAY, epsilon: POSITIVE },
  init: (h, x) => ({ mt: zerosLike(x), st: zerosLike(x), betat: betaPowers(x.dtype, h.beta) }),
  apply: (h, { mt, st, betat }, x, dx) => {
    const T = x.dtype;
    const [b1, b2] = betaPowers(T, h.beta);
    const eps = epsOf(T, h.epsilon);
    const m = add(mul(mt, b1), mul(dx, ofDtype(T, 1 - b1)));
    const s = add(add(mul(st, b2), mul(square(sub(dx, m)), ofDtype(T, 1 - b2))), eps);
    const denom = add(sqrt(div(s, ofDtype(T, 1 - betat[1]))), eps);
    const step = mul(div(m, denom), ofDtype(T, h.eta / (1 - betat[0])));
    return [{ mt: m, st: s, betat: nextPowers(T, betat, h.beta) }, step];
  },
});
