import { mul } from "@flux/kernels";
import { LEARNING_RATE } from "../ranges.js";
import { defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** Hyper-parameters of `Descent`. */
export interface DescentHyper {
  /** Learning rate η (default 0.1). */
  readonly eta: number;
}

/**
 * Plain gradient descent (Optimisers.jl's `Descent(η = 0.1)`): `x -= η .* dx`. No state.
 *
 * Positional: `Descent(eta)`; or `Descent({ eta })`.
 *
 * @example
 * const state = setup(Descent(0.01), model);
 */
export const Descent = defineRule<DescentHyper, null>({
  kind: "Descent",
  defaults: { eta: 0.1 },
  positional: ["eta"],
  ranges: { eta: LEARNING_RATE },
  init: () => null,
  apply: (h, state, x, dx) => [state, mul(dx, ofDtype(x.dtype, h.eta))],
  fused: (h, state, x) => ({
    ops: [{ kind: "descent", eta: ofDtype(x.dtype, h.eta) }],
    tensors: [],
    next: state,
  }),
});
