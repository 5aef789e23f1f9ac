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
  init: () => null,
  apply: (h, state, x, dx) => {
    const nrm = pNorm(dx, h.p);
    if (h.throw) {
      const value = readNow(nrm);
      if (value !== undefined && !Number.isFinite(value)) {
        throw new NonFiniteGradientError(value, h.p, `${x.shape.join("×")} ${x.dtype} parameter`);
      }
    }
    const scale = minimum(div(ofDtype(x.dtype, h.omega), nrm), 1);
    return [state, mul(dx, scale)];
  },
});
