import { add, mul, sign } from "@flux/kernels";
import { NON_NEGATIVE } from "../ranges.js";
import { defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** Hyper-parameters of `SignDecay`. */
export interface SignDecayHyper {
  /** Penalty λ (default 1e-3). */
  readonly lambda: number;
}

/**
 * L1 regularisation (Optimisers.jl's `SignDecay(λ = 1e-3)`): `dx' = dx + λ sign(x)`, the gradient of
 * `λ * sum(|x|)`. Put it first in an `OptimiserChain`. No state.
 *
 * Positional: `SignDecay(lambda)`; or `SignDecay({ lambda })`.
 *
 * @example
 * const rule = OptimiserChain(SignDecay(0.012), WeightDecay(0.034), Adam());
 */
export const SignDecay = defineRule<SignDecayHyper, null>({
  kind: "SignDecay",
  defaults: { lambda: 1e-3 },
  positional: ["lambda"],
  ranges: { lambda: NON_NEGATIVE },
  init: () => null,
  apply: (h, state, x, dx) => [state, add(dx, mul(sign(x), ofDtype(x.dtype, h.lambda)))],
  fused: (h, state, x) => ({
    ops: [{ kind: "signdecay", lambda: ofDtype(x.dtype, h.lambda) }],
    tensors: [],
    next: state,
  }),
});
