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
type GruOps = GruSequenceOperands<GpuStorage>;
/** The per-step shaders: one dispatch of a forward one per step, first to last; of a backward one, last to first. */
type ForwardStepKernel = "lstm_forward" | "gru_forward";
type BackwardStepKernel = "lstm_backward" | "gru_backward";

/** The sizes of a call: x [in, T, B], Wh [rows·n, n] (rows: 4 gates for the LSTM, 3 for the GRU). */
interface Dims {
  readonly input: number;
  readonly n: number;
  readonly T: number;
  readonly B: number;
  /** Rows of a step's column: hidden units × sequences. */
  readonly nb: number;
  readonly rows: number;
}

function dimsOf(ops: { readonly x: V; readonly wh: V }, rows: number): Dims {
  const [input, T, B] = ops.x.shape as [number, number, number];
  const n = ops.wh.shape[1]!;
  return { input, n, T, B, nb: n * B, rows };
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

/** x made time-major (xt [in, B, T]) and every step's input projection at once: gates [rows·n, B, T] = Wi * xt. */
function projectInput(ctx: KernelContext, ops: Ops | GruOps, d: Dims): { xt: GpuStorage; gates: GpuStorage } {
  const xt = permute(ctx, ops.x, [0, 2, 1]);
  const gates = ctx.alloc(d.rows * d.nb * d.T);
  gemm(ctx, ops.wi.storage.buffer, xt.buffer, gates.buffer, d.rows * d.n, d.B * d.T, d.input);
  return { xt, gates };
}

/** hs [n, B, T + 1] with h0 in block 0 (copied, not dispatched). */
function initialState(ctx: KernelContext, h0: V, d: Dims): GpuStorage {
  const hs = ctx.alloc(d.nb * (d.T + 1));
  ctx.exec.copy(h0.storage.buffer, 0, hs.buffer, 0, d.nb * 4);
  return hs;
}

/** The uniforms every step kernel shares (recurrent.inc.wgsl's Params), for step t. */
function stepUniforms(d: Dims, t: number, b: V | null) {
  return { n: d.n, batch: d.B, steps: d.T, t, has_bias: b === null ? 0 : 1 };
}

/**
 * Records the forward time loop: one dispatch of `shader` per step, first to last, bound to Wh, the bias and
 * then `state`. No bias: a one-element dummy fills the binding (has_bias = 0 leaves it unread).
 */
function forwardSteps(
  ctx: KernelContext,
  shader: ForwardStepKernel,
  ops: Ops | GruOps,
  d: Dims,
  state: readonly GPUBuffer[],
): void {
  const dummy = ops.b === null ? ctx.alloc(1) : null;
  const bias = ops.b === null ? dummy!.buffer : ops.b.storage.buffer;
  const buffers = [ops.wh.storage.buffer, bias, ...state];
  for (let t = 0; t < d.T; t++) dispatch1d(ctx, shader, {}, stepUniforms(d, t, ops.b), buffers, d.nb);
  if (dummy !== null) ctx.dispose(dummy);
}

/** Records the backward time loop: one dispatch of `shader` per step, from the last to the first. */
function backwardSteps(
  ctx: KernelContext,
  shader: BackwardStepKernel,
  d: Dims,
  b: V | null,
  buffers: readonly GPUBuffer[],
): void {
  for (let t = d.T - 1; t >= 0; t--) dispatch1d(ctx, shader, {}, stepUniforms(d, t, b), buffers, d.nb);
}

/**
 * The gradients that sum over every step, one matmul or reduction each over all steps at once, from the
 * cotangents of the input projection (`dgx`) and of the recurrent product `Wh * h` (`dgh`), both
 * [rows·n, B, T]: dWh = dgh hsᵀ (the first T blocks of hs are the h each step multiplied), dWi = dgx xtᵀ,
 * db = Σ dgx over steps and sequences, dx = Wiᵀ dgx made batch-last again.
 */
function stepSums(
  ctx: KernelContext,
  ops: Ops | GruOps,
  d: Dims,
  saved: { xt: GpuStorage; hs: GpuStorage },
  dgx: GpuStorage,
  dgh: GpuStorage,
  wants: LstmSequenceWants,
): Pick<LstmSequenceGrads<GpuStorage>, "dx" | "dwi" | "dwh" | "db"> {
  const { input, n, T, B, rows } = d;
  let dwh: GpuStorage | null = null;
  if (wants.wh) {
    dwh = ctx.alloc(rows * n * n);
    gemm(ctx, dgh.buffer, saved.hs.buffer, dwh.buffer, rows * n, n, B * T, false, true);
  }
  let dwi: GpuStorage | null = null;
  if (wants.wi) {
    dwi = ctx.alloc(rows * n * input);
    gemm(ctx, dgx.buffer, saved.xt.buffer, dwi.buffer, rows * n, input, B * T, false, true);
  }
  const db = wants.b
    ? reduce(ctx, "sum", { storage: dgx, shape: [rows * n, B * T], dtype: "f32" }, [1])
    : null;
  let dx: GpuStorage | null = null;
  if (wants.x) {
    const dxt = ctx.alloc(input * B * T);
    gemm(ctx, ops.wi.storage.buffer, dgx.buffer, dxt.buffer, input, B * T, rows * n, true);
    dx = permute(ctx, { storage: dxt, shape: [input, B, T], dtype: "f32" }, [0, 2, 1]);
    ctx.dispose(dxt);
  }
  return { dx, dwi, dwh, db };
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
  const d = dimsOf(ops, 4);
  const { nb, T } = d;
  const { xt, gates } = projectInput(ctx, ops, d);
  const hs = initialState(ctx, ops.h0, d);
  const cells = initialState(ctx, ops.c0, d);
  const tanhs = ctx.alloc(nb * T);
  const y = ctx.alloc(nb * T);
  forwardSteps(ctx, "lstm_forward", ops, d, [gates.buffer, hs.buffer, cells.buffer, tanhs.buffer, y.buffer]);
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
  const d = dimsOf(ops, 4);
  const { n, T, B, nb } = d;
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
  backwardSteps(ctx, "lstm_backward", d, ops.b, buffers);
  // dh0 = Whᵀ * dgates of step 0 (block 0 of dgates).
  const dh0 = ctx.alloc(nb);
  gemm(ctx, ops.wh.storage.buffer, dgates.buffer, dh0.buffer, n, B, 4 * n, true);
  // The LSTM's pre-activations are Wi x + Wh h + b in one block, so one cotangent serves both products.
  const sums = stepSums(ctx, ops, d, { xt, hs }, dgates, dgates, wants);
  ctx.dispose(dgates);
  return { ...sums, dh0, dc0: dc };
}

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
  const d = dimsOf(ops, 3);
  const { xt, gates } = projectInput(ctx, ops, d);
  const hs = initialState(ctx, ops.h0, d);
  const ghn = ctx.alloc(d.nb * d.T);
  const y = ctx.alloc(d.nb * d.T);
  forwardSteps(ctx, "gru_forward", ops, d, [gates.buffer, hs.buffer, ghn.buffer, y.buffer]);
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
  const d = dimsOf(ops, 3);
  const { n, T, B, nb } = d;
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
  backwardSteps(ctx, "gru_backward", d, ops.b, buffers);
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
  const sums = stepSums(ctx, ops, d, { xt, hs }, dgx, dgh, wants);
  ctx.dispose(dgx);
  ctx.dispose(dgh);
  return { ...sums, dh0 };
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { lstmSequence, lstmSequenceBackward, gruSequence, gruSequenceBackward };
