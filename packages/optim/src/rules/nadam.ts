import { add, div, mul, sqrt } from "@flux/kernels";
import { defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";
import { ADAM_HYPER, type AdamHyper, type AdamState, initAdamState } from "./adam.js";
import { betaPowers, momentScalars, nextPowers, updateMoments } from "./moments.js";

/** Hyper-parameters of `NAdam` (those of Adam). */
export type NAdamHyper = AdamHyper;

/**
 * NAdam, Adam with Nesterov momentum (Optimisers.jl's `NAdam(η = 0.001, β = (0.9, 0.999), ϵ = 1e-8)`):
 * `dx' = (β₁ m / (1 - β₁ β₁ᵗ) + (1-β₁) dx / (1-β₁ᵗ)) / (sqrt(v β₂ / (1-β₂ᵗ)) + ϵ) * η`.
 *
 * Positional: `NAdam(eta, beta, epsilon)`; or `NAdam({ eta, beta, epsilon })`.
 *
 * @example
 * const state = setup(NAdam(), model);
 */
export const NAdam = defineRule<NAdamHyper, AdamState>({
  kind: "NAdam",
  ...ADAM_HYPER,
  init: initAdamState,
  apply: (h, { mt, vt, betat }, x, dx) => {
    const T = x.dtype;
    const [b1, b2] = betaPowers(T, h.beta);
    const [m, v] = updateMoments(h.beta, mt, vt, dx);
    const num = add(
      div(mul(m, b1), ofDtype(T, 1 - b1 * betat[0])),
      div(mul(dx, ofDtype(T, 1 - b1)), ofDtype(T, 1 - betat[0])),
    );
    const denom = add(sqrt(div(mul(v, b2), ofDtype(T, 1 - betat[1]))), epsOf(T, h.epsilon));
    const step = mul(div(num, denom), ofDtype(T, h.eta));
    return [{ mt: m, vt: v, betat: nextPowers(T, betat, h.beta) }, step];
  },
  fused: (h, { mt, vt, betat }, x) => {
    const T = x.dtype;
    const moments = momentScalars(T, h.beta);
    const op = {
      kind: "nadam",
      ...moments,
      nextCorrection1: ofDtype(T, 1 - moments.beta1 * betat[0]),
      correction1: ofDtype(T, 1 - betat[0]),
      correction2: ofDtype(T, 1 - betat[1]),
      epsilon: epsOf(T, h.epsilon),
      eta: ofDtype(T, h.eta),
    } as const;
    return { ops: [op], tensors: [mt, vt], next: { mt, vt, betat: nextPowers(T, betat, h.beta) } };
  },
});
