import { type Tensor, add, div, mul, sqrt, square, zerosLike } from "@flux/kernels";
import { POSITIVE, UNIT } from "../ranges.js";
import { defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";

/** Hyper-parameters of `AdaDelta` (it has no learning rate). */
export interface AdaDeltaHyper {
  /** Decay ρ (default 0.9). */
  readonly rho: number;
  /** ϵ inside both square roots (default 1e-8). */
  readonly epsilon: number;
}

/** `AdaDelta`'s state: averages of `dx²` and of the applied steps squared. */
export interface AdaDeltaState {
  readonly acc: Tensor;
  readonly dacc: Tensor;
}

/**
 * AdaDelta (Optimisers.jl's `AdaDelta(ρ = 0.9, ϵ = 1e-8)`): `acc = ρ acc + (1-ρ) dx²`,
 * `dx' = dx sqrt(Δacc + ϵ) / sqrt(acc + ϵ)` (old `Δacc`), then `Δacc = ρ Δacc + (1-ρ) dx'²`.
 * No learning rate, so `adjust(state, { eta })` leaves it unchanged.
 *
 * Positional: `AdaDelta(rho, epsilon)`; or `AdaDelta({ rho, epsilon })`.
 *
 * @example
 * const state = setup(AdaDelta(), model);
 */
export const AdaDelta = defineRule<AdaDeltaHyper, AdaDeltaState>({
  kind: "AdaDelta",
  defaults: { rho: 0.9, epsilon: 1e-8 },
  positional: ["rho", "epsilon"],
  ranges: { rho: UNIT, epsilon: POSITIVE },
  init: (_h, x) => ({ acc: zerosLike(x), dacc: zerosLike(x) }),
  apply: (h, { acc, dacc }, x, dx) => {
    const T = x.dtype;
    const rho = ofDtype(T, h.rho);
    const eps = epsOf(T, h.epsilon);
    const a = add(mul(acc, rho), mul(square(dx), ofDtype(T, 1 - rho)));
    // Epsilon stays inside both roots (Optimisers.jl warns against moving it).
    const step = div(mul(dx, sqrt(add(dacc, eps))), sqrt(add(a, eps)));
    const d = add(mul(dacc, rho), mul(square(step), ofDtype(T, 1 - rho)));
    return [{ acc: a, dacc: d }, step];
  },
  fused: (h, state, x) => {
    const T = x.dtype;
    const rho = ofDtype(T, h.rho);
    const op = {
      kind: "adadelta",
      rho,
      oneMinusRho: ofDtype(T, 1 - rho),
      epsilon: epsOf(T, h.epsilon),
    } as const;
    return { ops: [op], tensors: [state.acc, state.dacc], next: state };
  },
});
