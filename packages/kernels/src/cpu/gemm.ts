// The one place that picks the GEMM used by the CPU backend: f32 → `sgemm` (WebAssembly SIMD when ready,
// TypeScript until then), f64 → the same plain-TypeScript GEMM in f64 (`jsSgemm`, the one such loop).
import type { DType, TypedArray } from "../dtype.js";
import { DTypeError } from "../errors.js";
import { sgemm } from "./wasm/index.js";
import { jsSgemm } from "./wasm/jsSgemm.js";

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

// f64: the plain-TypeScript GEMM, with sgemm's positional signature.
const dgemm: Gemm = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) =>
  jsSgemm({
    transA,
    transB,
    m,
    n,
    k,
    alpha,
    a: a as Float64Array,
    lda,
    b: b as Float64Array,
    ldb,
    beta,
    c: c as Float64Array,
    ldc,
  });

/** The GEMM for a float dtype. */
export function gemmFor(dtype: DType): Gemm {
  if (dtype === "f32") return sgemm as Gemm;
  if (dtype === "f64") return dgemm;
  throw new DTypeError(`matmul on cpu supports f32 and f64, got ${dtype}; cast first (cast(x, "f32")).`);
}
