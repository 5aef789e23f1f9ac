import { maximum, minimum } from "@flux/kernels";
import { POSITIVE } from "../ranges.js";
import { defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** Hyper-parameters of `ClipGrad`. */
export interface ClipGradHyper {
  /** Bound δ: each component is clamped to [-δ, δ] (default 10). */
  readonly delta: number;
}

/**
 * Clamps every gradient component to `[-δ, δ]` (Optimisers.jl's `ClipGrad(δ = 10)`). No state; usually the
 * first rule of an `OptimiserChain`.
 *
 * Positional: `ClipGrad(delta)`; or `ClipGrad({ delta })`.
 *
 * @example
 * const rule = OptimiserChain(ClipGrad(1), Descent(0.1));
 */
export const ClipGrad = defineRule<ClipGradHyper, null>({
  kind: "ClipGrad",
  defaults: { delta: 10 },
  positional: ["delta"],
  ranges: { delta: POSITIVE },
  init: () => null,
  apply: (h, state, x, dx) => {
    const delta = ofDtype(x.dtype, h.delta);
    return [state, minimum(maximum(dx, -delta), delta)];
  },
  fused: (h, state, x) => ({
    ops: [{ kind: "clipgrad", delta: ofDtype(x.dtype, h.delta) }],
    tensors: [],
    next: state,
  }),
});
