import { add, div, mul, sqrt } from "@flux/kernels";
import { DECAY, LEARNING_RATE, NON_NEGATIVE, POSITIVE } from "../ranges.js";
import { type Betas, defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";
import { type AdamState, initAdamState } from "./adam.js";
import { momentScalars, nextPowers, updateMoments } from "./moments.js";

/** Hyper-parameters of `AdamW`. */
export interface AdamWHyper {
  /** Learning rate η (default 0.001). */
  readonly eta: number;
  /** Decays (β₁, β₂) (default [0.9, 0.999]). */
  readonly beta: Betas;
  /** Weight decay λ (default 0). */
  readonly lambda: number;
  /** ϵ added to the denominator (default 1e-8). */
  readonly epsilon: number;
  /** Couple the decay with the learning rate, as PyTorch's AdamW (default true). */
  readonly couple: boolean;
}

/**
 * AdamW (Optimisers.jl 0.4's `AdamW(η = 0.001, β = (0.9, 0.999), λ = 0, ϵ = 1e-8; couple = true)`):
 * Adam's step `u` with learning rate 1, then `dx' = η (u + λ x)` (coupled, PyTorch's form) or
 * `dx' = η u + λ x` (`couple: false`, the paper's decoupled form).
 *
 * Positional: `AdamW(eta, beta, lambda, epsilon)`, plus `{ couple }` last.
 *
 * @example
 * const state = setup(AdamW(1e-3, [0.9, 0.999], 0.01), model);
 */
export const AdamW = defineRule<AdamWHyper, AdamState>({
  kind: "AdamW",
  defaults: { eta: 0.001, beta: [0.9, 0.999], lambda: 0, epsilon: 1e-8, couple: true },
  positional: ["eta", "beta", "lambda", "epsilon"],
  ranges: { eta: LEARNING_RATE, beta: DECAY, lambda: NON_NEGATIVE, epsilon: POSITIVE },
  init: initAdamState,
  apply: (h, { mt, vt, betat }, x, dx) => {
    const T = x.dtype;
    const eta = ofDtype(T, h.eta);
    const lambda = ofDtype(T, h.lambda);
    const [m, v] = updateMoments(h.beta, mt, vt, dx);
    // Optimisers.jl converts AdamW's epsilon with T(ϵ), without Adam's Float16 floor.
    const denom = add(sqrt(div(v, ofDtype(T, 1 - betat[1]))), ofDtype(T, h.epsilon));
    const u = div(div(m, ofDtype(T, 1 - betat[0])), denom);
    const step = h.couple ? mul(add(u, mul(x, lambda)), eta) : add(mul(u, eta), mul(x, lambda));
    return [{ mt: m, vt: v, betat: nextPowers(T, betat, h.beta) }, step];
  },
  fused: (h, { mt, vt, betat }, x) => {
    const T = x.dtype;
    const op = {
      kind: "adamw",
      ...momentScalars(T, h.beta),
      correction1: ofDtype(T, 1 - betat[0]),
      correction2: ofDtype(T, 1 - betat[1]),
      epsilon: ofDtype(T, h.epsilon),
      eta: ofDtype(T, h.eta),
      lambda: ofDtype(T, h.lambda),
      couple: h.couple ? 1 : 0,
    } as const;
    return { ops: [op], tensors: [mt, vt], next: { mt, vt, betat: nextPowers(T, betat, h.beta) } };
  },
});
