import { type Tensor, abs, add, div, maximum, mul, zerosLike } from "@flux/kernels";
import { type Betas, defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";
import { ADAM_HYPER, type AdamHyper } from "./adam.js";
import { betaPowers, nextPowers } from "./moments.js";

/** Hyper-parameters of `AdaMax` (those of Adam). */
export type AdaMaxHyper = AdamHyper;

/** `AdaMax`'s state: first moment `mt`, infinity-norm `ut`, powers `betat`. */
export interface AdaMaxState {
  readonly mt: Tensor;
  readonly ut: Tensor;
  readonly betat: Betas;
}

/**
 * AdaMax, Adam with the ∞-norm (Optimisers.jl's `AdaMax(η = 0.001, β = (0.9, 0.999), ϵ = 1e-8)`):
 * `m = β₁ m + (1-β₁) dx`, `u = max(β₂ u, |dx|)`, `dx' = (η / (1-β₁ᵗ)) m / (u + ϵ)`.
 *
 * Positional: `AdaMax(eta, beta, epsilon)`; or `AdaMax({ eta, beta, epsilon })`.
 *
 * @example
 * const state = setup(AdaMax(), model);
 */
export const AdaMax = defineRule<AdaMaxHyper, AdaMaxState>({
  kind: "AdaMax",
  ...ADAM_HYPER,
  init: (h, x) => ({ mt: zerosLike(x), ut: zerosLike(x), betat: betaPowers(x.dtype, h.beta) }),
  apply: (h, { mt, ut, betat }, x, dx) => {
    const T = x.dtype;
    const [b1, b2] = betaPowers(T, h.beta);
    const m = add(mul(mt, b1), mul(dx, ofDtype(T, 1 - b1)));
    const u = maximum(mul(ut, b2), abs(dx));
    const step = mul(div(m, add(u, epsOf(T, h.epsilon))), ofDtype(T, h.eta / (1 - betat[0])));
    return [{ mt: m, ut: u, betat: nextPowers(T, betat, h.beta) }, step];
  },
  fused: (h, { mt, ut, betat }, x) => {
    const T = x.dtype;
    const [b1, b2] = betaPowers(T, h.beta);
    const op = {
      kind: "adamax",
      beta1: b1,
      oneMinusBeta1: ofDtype(T, 1 - b1),
      beta2: b2,
      epsilon: epsOf(T, h.epsilon),
      gain: ofDtype(T, h.eta / (1 - betat[0])),
    } as const;
    return { ops: [op], tensors: [mt, ut], next: { mt, ut, betat: nextPowers(T, betat, h.beta) } };
  },
});
