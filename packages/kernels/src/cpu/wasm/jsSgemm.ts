import { type JsGemmOperands, scaleC } from "./sgemmArgs.js";

/**
 * The one plain-TypeScript GEMM: the `js` CPU kernel for f32, used until (or where) WebAssembly is not ready,
 * and the CPU backend's f64 GEMM (./gemm.ts).
 *
 * Column-major, C[m×n] = alpha * op(A) * op(B) + beta * C, every trans combination, leading dimensions larger
 * than the row count and subarray operands. The loop order keeps the innermost loop contiguous in memory
 * for each trans case (an axpy over C's column, or a dot product along A's column when A is transposed);
 * sums are formed in float64 (JS numbers) and rounded once into C (exactly, for f64).
 *
 * @example
 * const c = new Float32Array(4);
 * jsSgemm({ transA: false, transB: false, m: 2, n: 2, k: 1, alpha: 1, a: Float32Array.of(1, 2), lda: 2,
 *   b: Float32Array.of(3, 4), ldb: 1, beta: 0, c, ldc: 2 }); // c = [3, 6, 4, 8]
 */
export function jsSgemm(op: JsGemmOperands): void {
  const { transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc } = op;
  scaleC(op);
  if (alpha === 0 || k === 0) return;
  // op(B)[p, j] is b[p + j*ldb], or b[j + p*ldb] when transposed.
  const bRowStride = transB ? ldb : 1;
  const bColStride = transB ? 1 : ldb;
  if (!transA) {
    for (let j = 0; j < n; j++) {
      const cj = j * ldc;
      for (let p = 0; p < k; p++) {
        const t = alpha * b[p * bRowStride + j * bColStride];
        const ap = p * lda;
        for (let i = 0; i < m; i++) c[cj + i] += t * a[ap + i];
      }
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    const cj = j * ldc;
    const bj = j * bColStride;
    for (let i = 0; i < m; i++) {
      const ai = i * lda;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[ai + p] * b[bj + p * bRowStride];
      c[cj + i] += alpha * sum;
    }
  }
}
