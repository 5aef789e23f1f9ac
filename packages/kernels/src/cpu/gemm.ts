// The one place that picks the GEMM used by the CPU backend: f32 → `sgemm` (WebAssembly SIMD when ready,
// TypeScript until then), f64 → the TypeScript `dgemm`.
import type { DType, TypedArray } from "../dtype.js";
import { DTypeError } from "../errors.js";
import { dgemm } from "./gemmFallback.js";
import { sgemm } from "./wasm/index.js";

/** A column-major GEMM over one typed-array type (the `sgemm` signature). */
export type Gemm = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: TypedArray,
  lda: number,
  b: TypedArray,
  ldb: number,
  beta: number,
  c: TypedArray,
  ldc: number,
) => void;

/** The GEMM for a float dtype. */
export function gemmFor(dtype: DType): Gemm {
  if (dtype === "f32") return sgemm as Gemm;
  if (dtype === "f64") return dgemm as Gemm;
  throw new DTypeError(`matmul on cpu supports f32 and f64, got ${dtype}; cast first (cast(x, "f32")).`);
}
