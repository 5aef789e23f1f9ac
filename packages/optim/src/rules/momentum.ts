import { type Tensor, add, mul, zerosLike } from "@flux/kernels";
import { LEARNING_RATE, UNIT } from "../ranges.js";
import { defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** Hyper-parameters of `Momentum`. */
export interface MomentumHyper {
  /** Learning rate η (default 0.01). */
  readonly eta: number;
  /** Momentum ρ (default 0.9). */
  readonly rho: number;
}

/**
 * Gradient descent with momentum (Optimisers.jl's `Momentum(η = 0.01, ρ = 0.9)`):
 * `v = ρ v + η dx; x -= v`. State: the velocity `v`.
 *
 * Positional: `Momentum(eta, rho)`; or `Momentum({ eta, rho })`.
 *
 * @example
 * const state = setup(Momentum(0.01, 0.95), model);
 */
export const Momentum = defineRule<MomentumHyper, Tensor>({
  kind: "Momentum",
  defaults: { eta: 0.01, rho: 0.9 },
  positional: ["eta", "rho"],
  ranges: { eta: LEARNING_RATE, rho: UNIT },
  init: (_h, x) => zerosLike(x),
  apply: (h, v, x, dx) => {
    const T = x.dtype;
    const v2 = add(mul(v, ofDtype(T, h.rho)), mul(dx, ofDtype(T, h.eta)));
    return [v2, v2];
  },
  fused: (h, v, x) => ({
    ops: [{ kind: "momentum", rho: ofDtype(x.dtype, h.rho), eta: ofDtype(x.dtype, h.eta) }],
    tensors: [v],
    next: v,
  }),
});
