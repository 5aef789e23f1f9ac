import {
  type Tensor,
  SyncReadError,
  abs,
  cast,
  div,
  max,
  min,
  minimum,
  mul,
  ne,
  pow,
  sqrt,
  square,
  sum,
} from "@flux/kernels";
import { NonFiniteGradientError } from "../errors.js";
import { POSITIVE } from "../ranges.js";
import { defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** Hyper-parameters of `ClipNorm`. */
export interface ClipNormHyper {
  /** Threshold ω on the norm (default 10). */
  readonly omega: number;
  /** Which p-norm (default 2; 1, Infinity, -Infinity, 0 = count of non-zeros, or any other p). */
  readonly p: number;
  /** Throw `NonFiniteGradientError` on an infinite or NaN norm (default true; CPU only, see PARITY.md). */
  readonly throw: boolean;
}

/** The p-norm of `dx` as a 0-d tensor on `dx`'s device (LinearAlgebra's `norm(dx, p)`). */
function pNorm(dx: Tensor, p: number): Tensor {
  if (p === 2) return sqrt(sum(square(dx)));
  if (p === 1) return sum(abs(dx));
  // LinearAlgebra's norm of an empty array is 0 for every p; max/min of nothing would throw.
  if (dx.size === 0) return sum(abs(dx));
  if (p === Number.POSITIVE_INFINITY) return max(abs(dx));
  if (p === Number.NEGATIVE_INFINITY) return min(abs(dx));
  if (p === 0) return sum(cast(ne(dx, 0), dx.dtype));
  return pow(sum(pow(abs(dx), ofDtype(dx.dtype, p))), ofDtype(dx.dtype, 1 / p));
}

/** The norm's value when it can be read synchronously (CPU), else `undefined`. */
function readNow(t: Tensor): number | undefined {
  try {
    return t.itemSync();
  } catch (e) {
    if (e instanceof SyncReadError) return undefined;
    throw e;
  }
}

/**
 * Scales a gradient whose p-norm exceeds ω down to norm ω (Optimisers.jl's `ClipNorm(ω = 10, p = 2;
 * throw = true)`): `dx' = dx * min(ω / norm(dx, p), 1)`. The scale is computed on the gradient's device;
 * with `throw` an infinite or NaN norm throws `NonFiniteGradientError` (where it can be read at once).
 *
 * Positional: `ClipNorm(omega, p)`, plus `{ throw: false }` last.
 *
 * @example
 * const rule = OptimiserChain(ClipNorm(1), Adam());
 */
export const ClipNorm = defineRule<ClipNormHyper, null>({
  kind: "ClipNorm",
  defaults: { omega: 10, p: 2, throw: true },
  positional: ["omega", "p"],
  ranges: { omega: POSITIVE, p: { infinite: true } },
  init: () => null,
  apply: (h, state, x, dx) => [state, mul(dx, clipScale(h, x, dx))],
  // The norm is a reduction of its own; the scaling joins the fused pass (ClipNorm first in a chain only:
  // later in a chain, the gradient it would measure is never materialised).
  fused: (h, state, x, dx) =>
    dx === null ? null : { ops: [{ kind: "scale" }], tensors: [clipScale(h, x, dx)], next: state },
});

/** `min(ω / norm(dx, p), 1)` as a 0-d tensor; throws on a non-finite norm when `throw` (and readable now). */
function clipScale(h: ClipNormHyper, x: Tensor, dx: Tensor): Tensor {
  const nrm = pNorm(dx, h.p);
  if (h.throw) {
    const value = readNow(nrm);
    if (value !== undefined && !Number.isFinite(value)) {
      throw new NonFiniteGradientError(value, h.p, `${x.shape.join("×")} ${x.dtype} parameter`);
    }
  }
  return minimum(div(ofDtype(x.dtype, h.omega), nrm), 1);
}
