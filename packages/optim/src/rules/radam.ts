import { type DType, type Tensor, add, div, mul, sqrt, zerosLike } from "@flux/kernels";
import { type Betas, defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";
import { ADAM_HYPER, type AdamHyper } from "./adam.js";
import { betaPowers, momentScalars, nextPowers, updateMoments } from "./moments.js";

/** Hyper-parameters of `RAdam` (those of Adam). */
export type RAdamHyper = AdamHyper;

/** `RAdam`'s state: Adam's plus the 1-based step count `t`. */
export interface RAdamState {
  readonly mt: Tensor;
  readonly vt: Tensor;
  readonly betat: Betas;
  readonly t: number;
}

/**
 * Rectified Adam (Optimisers.jl's `RAdam(η = 0.001, β = (0.9, 0.999), ϵ = 1e-8)`): with
 * `ρ∞ = 2/(1-β₂) - 1` and `ρ = ρ∞ - 2t β₂ᵗ/(1-β₂ᵗ)`, when `ρ > 4` the Adam step times
 * `r = sqrt((ρ-4)(ρ-2)ρ∞ / ((ρ∞-4)(ρ∞-2)ρ))`, else the momentum step `m / (1-β₁ᵗ) * η`.
 *
 * Positional: `RAdam(eta, beta, epsilon)`; or `RAdam({ eta, beta, epsilon })`.
 *
 * @example
 * const state = setup(RAdam(), model);
 */
export const RAdam = defineRule<RAdamHyper, RAdamState>({
  kind: "RAdam",
  ...ADAM_HYPER,
  init: (h, x) => ({ mt: zerosLike(x), vt: zerosLike(x), betat: betaPowers(x.dtype, h.beta), t: 1 }),
  apply: (h, { mt, vt, betat, t }, x, dx) => {
    const T = x.dtype;
    const eta = ofDtype(T, h.eta);
    const r = rectification(T, h.beta, betat, t);
    const [m, v] = updateMoments(h.beta, mt, vt, dx);
    const mhat = div(m, ofDtype(T, 1 - betat[0]));
    let step: Tensor;
    if (r !== null) {
      const denom = add(sqrt(div(v, ofDtype(T, 1 - betat[1]))), epsOf(T, h.epsilon));
      step = mul(mul(div(mhat, denom), eta), ofDtype(T, r));
    } else {
      step = mul(mhat, eta);
    }
    return [{ mt: m, vt: v, betat: nextPowers(T, betat, h.beta), t: t + 1 }, step];
  },
  fused: (h, { mt, vt, betat, t }, x) => {
    const T = x.dtype;
    const r = rectification(T, h.beta, betat, t);
    const op = {
      kind: "radam",
      ...momentScalars(T, h.beta),
      correction1: ofDtype(T, 1 - betat[0]),
      correction2: ofDtype(T, 1 - betat[1]),
      epsilon: epsOf(T, h.epsilon),
      eta: ofDtype(T, h.eta),
      r: ofDtype(T, r ?? 0),
      rectified: r === null ? 0 : 1,
    } as const;
    return {
      ops: [op],
      tensors: [mt, vt],
      next: { mt, vt, betat: nextPowers(T, betat, h.beta), t: t + 1 },
    };
  },
});

/** RAdam's rectification factor `r` at step `t`, or `null` while the variance is not tractable (ρ <= 4). */
function rectification(T: DType, beta: Betas, betat: Betas, t: number): number | null {
  const b2 = ofDtype(T, beta[1]);
  const rhoInf = ofDtype(T, 2 / (1 - b2) - 1);
  const rho = ofDtype(T, rhoInf - (2 * t * betat[1]) / (1 - betat[1]));
  if (!(rho > 4)) return null;
  return Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
}
