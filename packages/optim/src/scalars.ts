// Hyper-parameters are JS numbers; a rule rounds them to the parameter's element type before use so that
// they never widen the parameter (Optimisers.jl converts with `T(o.eta)` for the same reason).
import type { DType } from "@flux/kernels";

/** Float16's smallest epsilon that keeps `sqrt(v) + eps` away from 0 (Optimisers.jl's `_eps` floor). */
const F16_MIN_EPS = 1.1920928955078125e-7;

/**
 * `v` rounded to `dtype`'s precision (f32 → `Math.fround`; f64 unchanged; f16 is rounded by the kernel
 * when the scalar meets the tensor).
 *
 * @example
 * ofDtype("f32", 0.1); // 0.10000000149011612
 */
export function ofDtype(dtype: DType, v: number): number {
  return dtype === "f64" ? v : Math.fround(v);
}

/**
 * An epsilon for `dtype` (Optimisers.jl's `_eps`): rounded like `ofDtype`, but for f16 at least 2^-23
 * (unless 0), so that the usual 1e-8 does not underflow to 0 and produce NaN.
 *
 * @example
 * epsOf("f16", 1e-8); // 1.1920928955078125e-7
 */
export function epsOf(dtype: DType, e: number): number {
  if (dtype === "f16") return e === 0 ? 0 : Math.max(F16_MIN_EPS, e);
  return ofDtype(dtype, e);
}
