// The fused LSTM and GRU layers on WebGPU (the `lstmSequence` and `gruSequence` backend primitives). LSTM: the input projection of every
// step is one matmul, then each time step is ONE dispatch of shaders/lstm_forward.wgsl (the step's `Wh * h`,
// bias, activations, c' and h' together), so the time loop is T dispatches queued without any readback.
// The backward pass is one dispatch of lstm_backward.wgsl per step (from the last), then one matmul each for
// dWh, dWi and dx over every step at once and one reduction for db. The GRU is the same with gru_*.wgsl.
// Buffers are time-major (see the shaders); f32 only.
import type {
  GruSequenceGrads,
  GruSequenceOperands,
  GruSequenceOutput,
  LstmSequenceGrads,
  LstmSequenceOperands,
  LstmSequenceOutput,
  LstmSequenceWants,
} from "../../backend.js";
import type { GpuStorage } from "../storage.js";
import { type KernelContext, noF16, type V } from "./context.js";
import { dispatch1d, fillInto } from "./dispatch.js";
import { binary } from "./elementwise.js";
import { permute } from "./layout.js";
import { reduce } from "./reduce.js";

type Ops = LstmSequenceOperands<GpuStorage>;

function dimsOf(ops: Ops) {
  const [input, T, B] = ops.x.shape as [number, number, number];
  return { input, n: ops.wh.shape[1]!, T, B };
}

// C = op(A) op(B) on buffers whose operands start at offset 0 (a buffer may be longer than its operand).
function gemm(
  ctx: KernelContext,
  a: GPUBuffer,
  b: GPUBuffer,
  c: GPUBuffer,
  M: number,
  N: number,
  K: number,
  transA = false,
  transB = false,
): void {
  ctx.matmulInto(a, b, c, { M, N, K, transA, transB }, 0, 0, 1);
}

/**
 * Records the forward pass (see the Backend interface). `saved`: xt [in, B, T], gates [4n, B, T], cells
 * [n, B, T + 1], tanhs [n, B, T], hs [n, B, T + 1].
 *
 * @example
 * lstmSequence(ctx, { x, wi, wh, b, h0, c0 });
 */
export function lstmSequence(ctx: KernelContext, ops: Ops): LstmSequenceOutput<GpuStorage> {
  noF16(ctx, "lstmSequence", ops.x.dtype);
  const { input, n, T, B } = dimsOf(ops);
  const nb = n * B;
  const xt = permute(ctx, ops.x, [0, 2, 1]);
  const gates = ctx.alloc(4 * nb * T);
  gemm(ctx, ops.wi.storage.buffer, xt.buffer, gates.buffer, 4 * n, B * T, input);
  const hs = ctx.alloc(nb * (T + 1));
  const cells = ctx.alloc(nb * (T + 1));
  ctx.exec.copy(ops.h0.storage.buffer, 0, hs.buffer, 0, nb * 4);
  ctx.exec.copy(ops.c0.storage.buffer, 0, cells.buffer, 0, nb * 4);
  const tanhs = ctx.alloc(nb * T);
  const y = ctx.alloc(nb * T);
  // No bias: a one-element dummy fills the binding (has_bias = 0 leaves it unread).
  const dummy = ops.b === null ? ctx.alloc(1) : null;
  const bias = ops.b === null ? dummy!.buffer : ops.b.storage.buffer;
  const buffers = [
    ops.wh.storage.buffer,
    bias,
    gates.buffer,
    hs.buffer,
    cells.buffer,
    tanhs.buffer,
    y.buffer,
  ];
  for (let t = 0; t < T; t++) {
    const uniforms = { n, batch: B, steps: T, t, has_bias: ops.b === null ? 0 : 1 };
    dispatch1d(ctx, "lstm_forward", {}, uniforms, buffers, nb);
  }
  if (dummy !== null) ctx.dispose(dummy);
  const cLast = ctx.alloc(nb);
  ctx.exec.copy(cells.buffer, T * nb * 4, cLast.buffer, 0, nb * 4);
  const saved = [xt, gates, cells, tanhs, hs];
  return { y, cLast, saved: saved.map((storage) => ({ storage, size: storage.length })) };
}

/**
 * Records the backward pass of `lstmSequence` (see the Backend interface).
 *
 * @example
 * lstmSequenceBackward(ctx, ops, saved, dy, null, { x: false, wi: true, wh: true, b: true });
 */
export function lstmSequenceBackward(
  ctx: KernelContext,
  ops: Ops,
  saved: readonly GpuStorage[],
  dy: V,
  dcLast: V | null,
  wants: LstmSequenceWants,
): LstmSequenceGrads<GpuStorage> {
  const { input, n, T, B } = dimsOf(ops);
  const nb = n * B;
  const [xt, gates, cells, tanhs, hs] = saved as [GpuStorage, GpuStorage, GpuStorage, GpuStorage, GpuStorage];
  const dgates = ctx.alloc(4 * nb * T);
  const dc = ctx.alloc(nb);
  if (dcLast === null) fillInto(ctx, dc, nb, 0, 0, "f32");
  else ctx.exec.copy(dcLast.storage.buffer, 0, dc.buffer, 0, nb * 4);
  const buffers = [
    ops.wh.storage.buffer,
    gates.buffer,
    cells.buffer,
    tanhs.buffer,
    dy.storage.buffer,
    dgates.buffer,
    dc.buffer,
  ];
  for (let t = T - 1; t >= 0; t--) {
    dispatch1d(ctx, "lstm_backward", {}, { n, batch: B, steps: T, t }, buffers, nb);
  }
  // dh0 = Whᵀ * dgates of step 0 (block 0 of dgates).
  const dh0 = ctx.alloc(nb);
  gemm(ctx, ops.wh.storage.buffer, dgates.buffer, dh0.buffer, n, B, 4 * n, true);
  let dwh: GpuStorage | null = null;
  if (wants.wh) {
    // The first T blocks of hs are the h each step multiplied.
    dwh = ctx.alloc(4 * n * n);
    gemm(ctx, dgates.buffer, hs.buffer, dwh.buffer, 4 * n, n, B * T, false, true);
  }
  let dwi: GpuStorage | null = null;
  if (wants.wi) {
    dwi = ctx.alloc(4 * n * input);
    gemm(ctx, dgates.buffer, xt.buffer, dwi.buffer, 4 * n, input, B * T, false, true);
  }
  const all = { storage: dgates, shape: [4 * n, B * T], dtype: "f32" } as const;
  const db = wants.b ? reduce(ctx, "sum", all, [1]) : null;
  let dx: GpuStorage | null = null;
  if (wants.x) {
    const dxt = ctx.alloc(input * B * T);
    gemm(ctx, ops.wi.storage.buffer, dgates.buffer, dxt.buffer, input, B * T, 4 * n, true);
    dx = permute(ctx, { storage: dxt, shape: [input, B, T], dtype: "f32" }, [0, 2, 1]);
    ctx.dispose(dxt);
  }
  ctx.dispose(dgates);
  return { dx, dwi, dwh, db, dh0, dc0: dc };
}

type GruOps = GruSequenceOperands<GpuStorage>;

/**
 * Records the GRU forward pass (see the Backend interface): one matmul for the projection, then one
 * dispatch of gru_forward.wgsl per step. `saved`: xt [in, B, T], gates [3n, B, T], ghn [n, B, T],
 * hs [n, B, T + 1].
 *
 * @example
 * gruSequence(ctx, { x, wi, wh, b, h0 });
 */
export function gruSequence(ctx: KernelContext, ops: GruOps): GruSequenceOutput<GpuStorage> {
  noF16(ctx, "gruSequence", ops.x.dtype);
  const [input, T, B] = ops.x.shape as [number, number, number];
  const n = ops.wh.shape[1]!;
  const nb = n * B;
  const xt = permute(ctx, ops.x, [0, 2, 1]);
  const gates = ctx.alloc(3 * nb * T);
  gemm(ctx, ops.wi.storage.buffer, xt.buffer, gates.buffer, 3 * n, B * T, input);
  const hs = ctx.alloc(nb * (T + 1));
  ctx.exec.copy(ops.h0.storage.buffer, 0, hs.buffer, 0, nb * 4);
  const ghn = ctx.alloc(nb * T);
  const y = ctx.alloc(nb * T);
  const dummy = ops.b === null ? ctx.alloc(1) : null;
  const bias = ops.b === null ? dummy!.buffer : ops.b.storage.buffer;
  const buffers = [ops.wh.storage.buffer, bias, gates.buffer, hs.buffer, ghn.buffer, y.buffer];
  for (let t = 0; t < T; t++) {
    const uniforms = { n, batch: B, steps: T, t, has_bias: ops.b === null ? 0 : 1 };
    dispatch1d(ctx, "gru_forward", {}, uniforms, buffers, nb);
  }
  if (dummy !== null) ctx.dispose(dummy);
  const saved = [xt, gates, ghn, hs];
  return { y, saved: saved.map((storage) => ({ storage, size: storage.length })) };
}

/**
 * Records the GRU backward pass: one dispatch of gru_backward.wgsl per step, from the last, then matmuls
 * over every step for the weights' gradients.
 *
 * @example
 * gruSequenceBackward(ctx, ops, saved, dy, { x: false, wi: true, wh: true, b: true });
 */
export function gruSequenceBackward(
  ctx: KernelContext,
  ops: GruOps,
  saved: readonly GpuStorage[],
  dy: V,
  wants: LstmSequenceWants,
): GruSequenceGrads<GpuStorage> {
  const [input, T, B] = ops.x.shape as [number, number, number];
  const n = ops.wh.shape[1]!;
  const nb = n * B;
  const [xt, gates, ghn, hs] = saved as [GpuStorage, GpuStorage, GpuStorage, GpuStorage];
  const dgx = ctx.alloc(3 * nb * T);
  const dgh = ctx.alloc(3 * nb * T);
  const dhz = ctx.alloc(nb);
  const buffers = [
    ops.wh.storage.buffer,
    gates.buffer,
    hs.buffer,
    ghn.buffer,
    dy.storage.buffer,
    dgx.buffer,
    dgh.buffer,
    dhz.buffer,
  ];
  for (let t = T - 1; t >= 0; t--) {
    dispatch1d(ctx, "gru_backward", {}, { n, batch: B, steps: T, t }, buffers, nb);
  }
  // dh0 = Whᵀ * dgh of step 0, plus step 0's direct path dh z.
  const rec = ctx.alloc(nb);
  gemm(ctx, ops.wh.storage.buffer, dgh.buffer, rec.buffer, n, B, 3 * n, true);
  const shape = [n, B];
  const dh0 = binary(
    ctx,
    "add",
    { storage: rec, shape, dtype: "f32" },
    { storage: dhz, shape, dtype: "f32" },
    shape,
  );
  ctx.dispose(rec);
  ctx.dispose(dhz);
  let dwh: GpuStorage | null = null;
  if (wants.wh) {
    dwh = ctx.alloc(3 * n * n);
    gemm(ctx, dgh.buffer, hs.buffer, dwh.buffer, 3 * n, n, B * T, false, true);
  }
  let dwi: GpuStorage | null = null;
  if (wants.wi) {
    dwi = ctx.alloc(3 * n * input);
    gemm(ctx, dgx.buffer, xt.buffer, dwi.buffer, 3 * n, input, B * T, false, true);
  }
  const db = wants.b ? reduce(ctx, "sum", { storage: dgx, shape: [3 * n, B * T], dtype: "f32" }, [1]) : null;
  let dx: GpuStorage | null = null;
  if (wants.x) {
    const dxt = ctx.alloc(input * B * T);
    gemm(ctx, ops.wi.storage.buffer, dgx.buffer, dxt.buffer, input, B * T, 3 * n, true);
    dx = permute(ctx, { storage: dxt, shape: [input, B, T], dtype: "f32" }, [0, 2, 1]);
    ctx.dispose(dxt);
  }
  ctx.dispose(dgx);
  ctx.dispose(dgh);
  return { dx, dwi, dwh, db, dh0 };
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { lstmSequence, lstmSequenceBackward, gruSequence, gruSequenceBackward };
