/** The arguments of one sgemm call, as one record (column-major, BLAS conventions). */
export interface SgemmOperands {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: Float32Array;
  lda: number;
  b: Float32Array;
  ldb: number;
  beta: number;
  c: Float32Array;
  ldc: number;
  /**
   * Replaces the final copy of C out of the kernel's memory (contiguous C only: ldc = m): writes
   * `length` elements read from `src` at `srcAt` into `dst`, transformed (a bias and an activation, say).
   * Kernels that compute in place call it with `src === dst`.
   */
  epilogue?: SgemmEpilogue;
}

/** The operands of the plain-TypeScript GEMM (`jsSgemm`): an sgemm's in f32, or the same in f64 (dgemm). */
export type JsGemmOperands =
  | SgemmOperands
  | (Omit<SgemmOperands, "a" | "b" | "c" | "epilogue"> & {
      a: Float64Array;
      b: Float64Array;
      c: Float64Array;
    });

/** See `SgemmOperands.epilogue`. */
export type SgemmEpilogue = (src: Float32Array, srcAt: number, dst: Float32Array, length: number) => void;

/**
 * Thrown by `sgemm` when its arguments cannot describe the product (negative sizes, a leading dimension
 * smaller than the row count, an array too short for the span it must hold).
 *
 * Its `code` is stable (`FLUX_SGEMM_ARGUMENT`); the message names the argument and the value it needed.
 *
 * @example
 * try { sgemm(false, false, 2, 2, 2, 1, new Float32Array(1), 2, b, 2, 0, c, 2); }
 * catch (e) { if (e instanceof SgemmArgumentError) console.log(e.code); }
 */
export class SgemmArgumentError extends RangeError {
  readonly code = "FLUX_SGEMM_ARGUMENT";
  constructor(message: string) {
    super(`[@flux/kernels] sgemm: ${message}`);
    this.name = "SgemmArgumentError";
  }
}

/** Number of elements an rows×cols column-major matrix with leading dimension ld spans (0 when empty). */
export function spanOf(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : ld * (cols - 1) + rows;
}

function checkMatrix(name: string, array: Float32Array, rows: number, cols: number, ld: number): void {
  if (!Number.isInteger(ld) || ld < Math.max(1, rows)) {
    throw new SgemmArgumentError(
      `ld${name} = ${ld} must be an integer >= max(1, ${rows}) (the rows of ${name}).`,
    );
  }
  const span = spanOf(rows, cols, ld);
  if (array.length < span) {
    throw new SgemmArgumentError(
      `${name} has ${array.length} elements but a ${rows}×${cols} matrix with ld${name} = ${ld} spans ${span}; pass a longer array or a smaller size.`,
    );
  }
}

/** Checks sizes, leading dimensions and array lengths; throws SgemmArgumentError on the first problem. */
export function checkSgemmOperands(op: SgemmOperands): void {
  for (const [name, value] of [
    ["m", op.m],
    ["n", op.n],
    ["k", op.k],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new SgemmArgumentError(`${name} = ${value} must be a non-negative integer.`);
    }
  }
  checkMatrix("a", op.a, op.transA ? op.k : op.m, op.transA ? op.m : op.k, op.lda);
  checkMatrix("b", op.b, op.transB ? op.n : op.k, op.transB ? op.k : op.n, op.ldb);
  checkMatrix("c", op.c, op.m, op.n, op.ldc);
}

/** C *= beta, with BLAS's rule that beta = 0 overwrites C without reading it (NaN in C does not survive). */
export function scaleC({ m, n, beta, c, ldc }: JsGemmOperands): void {
  if (beta === 1) return;
  for (let j = 0; j < n; j++) {
    const column = j * ldc;
    if (beta === 0) c.fill(0, column, column + m);
    else for (let i = 0; i < m; i++) c[column + i] *= beta;
  }
}
