// Matrix products: batched matmul, the recording of one kernel choice, and the fused dense layer.
import type { MatmulOptions } from "../../backend.js";
import type { UnaryOp } from "../../opNames.js";
import { type Shape, sizeOf } from "../../shape.js";
import type { Executor } from "../executor.js";
import type { MatmulKernel } from "../matmul/plan.js";
import type { GpuStorage } from "../storage.js";
import { type KernelContext, type MatmulIntoArgs, noF16, type V } from "./context.js";
import { dispatch1d, fillInto } from "./dispatch.js";
import { fusedActCode } from "./words.js";

/**
 * `op(a) · op(b)` into `outShape`, batched over trailing dimensions.
 */
export function matmul(ctx: KernelContext, a: V, b: V, opts: MatmulOptions, outShape: Shape): GpuStorage {
  const [ar, ac] = [a.shape[0]!, a.shape[1]!];
  const [br, bc] = [b.shape[0]!, b.shape[1]!];
  const M = opts.transA ? ac : ar;
  const K = opts.transA ? ar : ac;
  const N = opts.transB ? br : bc;
  const total = sizeOf(outShape);
  const batches = total / (M * N || 1);
  const out = ctx.alloc(total, a.dtype);
  if (total === 0) return out;
  if (K === 0) {
    fillInto(ctx, out, total, 0, 0, a.dtype);
    return out;
  }
  const batchA = a.storage.length > ar * ac ? ar * ac : 0;
  const batchB = b.storage.length > br * bc ? br * bc : 0;
  ctx.matmulInto(
    a.storage.buffer,
    b.storage.buffer,
    out.buffer,
    { M, N, K, ...opts },
    batchA,
    batchB,
    batches,
    a.dtype === "f16" ? "f16" : "f32",
  );
  return out;
}

/**
 * Records one matmul with a given kernel (the autotuner times candidates with it).
 */
export function recordMatmul(
  exec: Executor,
  kernel: MatmulKernel,
  ...[a, b, c, p, batchA, batchB, batches, dtype = "f32"]: MatmulIntoArgs
): void {
  if (kernel === "matmul_vec4" && (batchA % 4 !== 0 || batchB % 4 !== 0)) {
    throw new Error("[@flux/kernels] webgpu: internal error: vec4 matmul with unaligned batch strides");
  }
  exec.dispatch(
    kernel,
    { transA: String(p.transA), transB: String(p.transB), dtype },
    { M: p.M, N: p.N, K: p.K, batchA, batchB },
    [a, b, c],
    [Math.ceil(p.M / 32), Math.ceil(p.N / 32), batches],
  );
}

/**
 * Fused dense layer `act.(w * x .+ b)`: the matmul, then ONE in-place epilogue pass (bias_act.wgsl)
 * instead of an add and an activation with an allocation each. f32 only, as for `affineAct`.
 */
export function denseAct(
  ctx: KernelContext,
  act: UnaryOp | "identity",
  param: number,
  w: V,
  x: V,
  b: V | null,
  outShape: Shape,
): GpuStorage {
  noF16(ctx, "denseAct", w.dtype);
  const y = ctx.matmul(w, x, { transA: false, transB: false }, outShape);
  const n = sizeOf(outShape);
  if (n === 0) return y;
  // Without a bias (has_bias = 0) the shader never reads binding 1, but something must be bound there: a
  // 1-element stand-in (not y: one buffer may not be bound read-only and writable in one dispatch).
  const noBias = b === null ? ctx.alloc(1) : null;
  dispatch1d(
    ctx,
    "bias_act",
    {},
    { n, rows: outShape[0]!, op: fusedActCode(act), param, has_bias: b === null ? 0 : 1 },
    [(b?.storage ?? noBias!).buffer, y.buffer],
    n,
  );
  if (noBias) ctx.dispose(noBias);
  return y;
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { matmul, denseAct };
