import { type Tensor, add, div, fill, maximum, mul, sqrt, square } from "@flux/kernels";
import { defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";
import { ADAM_HYPER, type AdamHyper } from "./adam.js";

/** Hyper-parameters of `AMSGrad` (those of Adam). */
export type AMSGradHyper = AdamHyper;

/** `AMSGrad`'s state: moments `mt`, `vt` and the running maximum `vhat` of `vt`. */
export interface AMSGradState {
  readonly mt: Tensor;
  readonly vt: Tensor;
  readonly vhat: Tensor;
}

/**
 * AMSGrad (Optimisers.jl's `AMSGrad(η = 0.001, β = (0.9, 0.999), ϵ = 1e-8)`): Adam whose denominator
 * never shrinks, which restores convergence on problems where Adam's can oscillate:
 * `m = β₁ m + (1-β₁) dx`, `v = β₂ v + (1-β₂) dx²`, `v̂ = max(v̂, v)`, `dx' = η m / (sqrt(v̂) + ϵ)`.
 * As in Optimisers.jl there is no bias correction, and the three state arrays start at ϵ, not 0.
 *
 * Positional: `AMSGrad(eta, beta, epsilon)`; or `AMSGrad({ eta, beta, epsilon })`.
 *
 * @example
 * const state = setup(AMSGrad(), model);
 */
export const AMSGrad = defineRule<AMSGradHyper, AMSGradState>({
  kind: "AMSGrad",
  ...ADAM_HYPER,
  init: (h, x) => {
    const start = () => fill(epsOf(x.dtype, h.epsilon), x.shape, { dtype: x.dtype, device: x.device });
    return { mt: start(), vt: start(), vhat: start() };
  },
  apply: (h, { mt, vt, vhat }, x, dx) => {
    const T = x.dtype;
    const b1 = ofDtype(T, h.beta[0]);
    const b2 = ofDtype(T, h.beta[1]);
    const m = add(mul(mt, b1), mul(dx, ofDtype(T, 1 - b1)));
    const v = add(mul(vt, b2), mul(square(dx), ofDtype(T, 1 - b2)));
    const vmax = maximum(vhat, v);
    const step = mul(div(m, add(sqrt(vmax), epsOf(T, h.epsilon))), ofDtype(T, h.eta));
    return [{ mt: m, vt: v, vhat: vmax }, step];
  },
});
