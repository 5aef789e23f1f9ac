// Batched matmul on top of the column-major GEMM: one GEMM call per batch index, transposes handled by the
// GEMM's flags (never materialised).
import type { MatmulOptions } from "../backend.js";
import type { DType, TypedArray } from "../dtype.js";
import type { Shape } from "../shape.js";
import { gemmFor } from "./gemm.js";

/** `op(A) * op(B)` for each batch index into `out` (`[m, n, batch...]`). */
export function matmulInto(
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  opts: MatmulOptions,
  out: TypedArray,
  outShape: Shape,
  dtype: DType,
): void {
  const gemm = gemmFor(dtype);
  const [ar, ac] = [aShape[0]!, aShape[1]!];
  const [br, bc] = [bShape[0]!, bShape[1]!];
  const m = opts.transA ? ac : ar;
  const k = opts.transA ? ar : ac;
  const n = opts.transB ? br : bc;
  const batches = out.length / (m * n || 1);
  const aStep = a.length > ar * ac ? ar * ac : 0;
  const bStep = b.length > br * bc ? br * bc : 0;
  if (outShape.length < 2 || m * n === 0) return;
  for (let t = 0; t < batches; t++) {
    const at = a.subarray(t * aStep, t * aStep + ar * ac);
    const bt = b.subarray(t * bStep, t * bStep + br * bc);
    const ct = out.subarray(t * m * n, (t + 1) * m * n);
    if (k === 0) ct.fill(0);
    else
      gemm(
        opts.transA,
        opts.transB,
        m,
        n,
        k,
        1,
        at,
        Math.max(ar, 1),
        bt,
        Math.max(br, 1),
        0,
        ct,
        Math.max(m, 1),
      );
  }
}
