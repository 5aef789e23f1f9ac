import { type Tensor, add, mul, sub, zerosLike } from "@flux/kernels";
import { LEARNING_RATE, UNIT } from "../ranges.js";
import { defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** Hyper-parameters of `Nesterov`. */
export interface NesterovHyper {
  /** Learning rate η (default 0.001). */
  readonly eta: number;
  /** Nesterov momentum ρ (default 0.9). */
  readonly rho: number;
}

/**
 * Gradient descent with Nesterov momentum (Optimisers.jl's `Nesterov(η = 0.001, ρ = 0.9)`):
 * `dx' = -ρ² v + (1 + ρ) η dx` (with the old `v`), then `v = ρ v - η dx`. State: the velocity `v`.
 *
 * Positional: `Nesterov(eta, rho)`; or `Nesterov({ eta, rho })`.
 *
 * @example
 * const state = setup(Nesterov(), model);
 */
export const Nesterov = defineRule<NesterovHyper, Tensor>({
  kind: "Nesterov",
  defaults: { eta: 0.001, rho: 0.9 },
  positional: ["eta", "rho"],
  ranges: { eta: LEARNING_RATE, rho: UNIT },
  init: (_h, x) => zerosLike(x),
  apply: (h, v, x, dx) => {
    const T = x.dtype;
    const eta = ofDtype(T, h.eta);
    const rho = ofDtype(T, h.rho);
    const step = add(mul(v, -ofDtype(T, rho * rho)), mul(dx, ofDtype(T, (1 + rho) * eta)));
    const v2 = sub(mul(v, rho), mul(dx, eta));
    return [v2, step];
  },
  fused: (h, v, x) => {
    const T = x.dtype;
    const eta = ofDtype(T, h.eta);
    const rho = ofDtype(T, h.rho);
    const op = {
      kind: "nesterov",
      negRho2: -ofDtype(T, rho * rho),
      gain: ofDtype(T, (1 + rho) * eta),
      rho,
      eta,
    } as const;
    return { ops: [op], tensors: [v], next: v };
  },
});
