import { add, mul } from "@flux/kernels";
import { NON_NEGATIVE } from "../ranges.js";
import { defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** Hyper-parameters of `WeightDecay`. */
export interface WeightDecayHyper {
  /** Penalty λ (default 5e-4). */
  readonly lambda: number;
}

/**
 * L2 regularisation (Optimisers.jl's `WeightDecay(λ = 5e-4)`): `dx' = dx + λ x`, the gradient of
 * `λ/2 * sum(x²)`. Put it first in an `OptimiserChain`. No state.
 *
 * Positional: `WeightDecay(lambda)`; or `WeightDecay({ lambda })`.
 *
 * @example
 * const rule = OptimiserChain(WeightDecay(1e-4), Adam());
 */
export const WeightDecay = defineRule<WeightDecayHyper, null>({
  kind: "WeightDecay",
  defaults: { lambda: 5e-4 },
  positional: ["lambda"],
  ranges: { lambda: NON_NEGATIVE },
  init: () => null,
  apply: (h, state, x, dx) => [state, add(dx, mul(x, ofDtype(x.dtype, h.lambda)))],
  fused: (h, state, x) => ({
    ops: [{ kind: "weightdecay", lambda: ofDtype(x.dtype, h.lambda) }],
    tensors: [],
    next: state,
  }),
});
