// Plain-TypeScript column-major GEMM with the signature of the WebAssembly `sgemm` (./wasm/index.ts).
// The CPU backend uses it for f64 (`dgemm`); f32 always goes through ./wasm (which has its own JS fallback). Loop orders keep the
// innermost loop on contiguous memory: axpy on A's columns when A is not transposed, a dot product otherwise.

type FloatArray = Float32Array | Float64Array;

/**
 * `C[m×n] = alpha * op(A)[m×k] * op(B)[k×n] + beta * C`, column-major; `op` transposes when the flag is set.
 */
function gemmLoop(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  lda: number,
  b: FloatArray,
  ldb: number,
  beta: number,
  c: FloatArray,
  ldc: number,
): void {
  for (let j = 0; j < n; j++) {
    const cj = j * ldc;
    if (beta === 0) for (let i = 0; i < m; i++) c[cj + i] = 0;
    else if (beta !== 1) for (let i = 0; i < m; i++) c[cj + i]! *= beta;
    if (!transA) {
      for (let p = 0; p < k; p++) {
        const bpj = alpha * (transB ? b[j + p * ldb]! : b[p + j * ldb]!);
        if (bpj === 0) continue;
        const ap = p * lda;
        for (let i = 0; i < m; i++) c[cj + i]! += a[ap + i]! * bpj;
      }
    } else {
      for (let i = 0; i < m; i++) {
        const ai = i * lda;
        let acc = 0;
        if (transB) for (let p = 0; p < k; p++) acc += a[ai + p]! * b[j + p * ldb]!;
        else {
          const bj = j * ldb;
          for (let p = 0; p < k; p++) acc += a[ai + p]! * b[bj + p]!;
        }
        c[cj + i]! += alpha * acc;
      }
    }
  }
}

/** f64 GEMM in TypeScript (same signature as `sgemm`). */
export function dgemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float64Array,
  lda: number,
  b: Float64Array,
  ldb: number,
  beta: number,
  c: Float64Array,
  ldc: number,
): void {
  gemmLoop(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
