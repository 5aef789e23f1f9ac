// The fused LSTM layer on the CPU: the input projection and the whole time loop of a sequence in one call,
// forward and backward, as cuDNN and PyTorch's fused RNN kernels do it. The forward pass is one GEMM for
// the input projection of every step (`Wi * x`), then per step ONE GEMM (`Wh * h`, accumulated onto that
// step's projection) and ONE pass over the gates (bias, the four activations, c' and h'). The backward pass
// is per step one pass over the gates and one GEMM (`Whᵀ * dgates`), then one GEMM each for the weights'
// gradients over all steps at once (K = steps * batch) instead of one small product and one accumulation
// per step, and the bias gradient summed in the gate pass.
//
// Layout. The caller's arrays are column-major features x time x batch (`x` [in, T, B], `y` [n, T, B]), so
// one step's B columns are T columns apart. Inside, everything is time-major ([rows, B, T]: one step's
// columns are one contiguous block): `x` is reordered once on the way in, and then every per-step GEMM
// reads and writes contiguous matrices (the wasm GEMM copies whole spans in and out, which strided columns
// would make T times larger); the hidden states of all steps, h0 first, are ONE buffer `hs` [n, B, T + 1]
// whose first T blocks are the dWh GEMM's right operand as they stand. `y` and `dx` are reordered back.
import type { TypedArray } from "../dtype.js";
import type { Gemm } from "./gemm.js";
import { type LstmBackwardStep, lstmGatesBackwardSimd, lstmGatesSimd } from "./wasm/recurrentSimd.js";

/** The sizes of one fused LSTM call: input width, hidden size `n`, `steps` time steps, `batch` sequences. */
export interface LstmDims {
  readonly input: number;
  readonly n: number;
  readonly steps: number;
  readonly batch: number;
}

/** What the forward pass keeps for the backward pass (time-major, see above). */
export interface LstmSaved {
  /** [in, B, T]: the input, time-major. */
  readonly xt: TypedArray;
  /** [4n, B, T]: the activated gates i, f, g, o of every step. */
  readonly gates: TypedArray;
  /** [n, B, T]: c of every step. */
  readonly cells: TypedArray;
  /** [n, B, T]: tanh(c) of every step (so the backward pass needs no transcendental). */
  readonly tanhCells: TypedArray;
  /** [n, B, T + 1]: h0, then h of every step. */
  readonly hs: TypedArray;
}

/** The forward pass's operands (the weights stacked i, f, g, o: Flux's and PyTorch's order). */
export interface LstmOperands {
  /** [in, T, B]. */
  readonly x: TypedArray;
  /** [4n, in]. */
  readonly wi: TypedArray;
  /** [4n, n]. */
  readonly wh: TypedArray;
  /** [4n], or null for none. */
  readonly b: TypedArray | null;
  /** [n, B]. */
  readonly h0: TypedArray;
  /** [n, B]. */
  readonly c0: TypedArray;
}

// The logistic function and tanh through one Math.exp each (Math.tanh is slower in V8). For v below
// about -354 (sigmoid) or above 354 (tanh), exp overflows to Infinity and the quotient gives the exact limit.
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const tanh = (v: number): number =>
  Math.abs(v) < 1e-4 ? v * (1 - (v * v) / 3) : 1 - 2 / (1 + Math.exp(2 * v));

/** @internal Reorders the columns of [rows, T, B] to [rows, B, T] (`back`: the other way). */
export function toTimeMajor(
  src: TypedArray,
  dst: TypedArray,
  rows: number,
  T: number,
  B: number,
  back = false,
): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const bt = (t + T * b) * rows; // column (t, b) of [rows, T, B]
      const tm = (b + B * t) * rows; // column (b, t) of [rows, B, T]
      if (back) dst.set(src.subarray(tm, tm + rows), bt);
      else dst.set(src.subarray(bt, bt + rows), tm);
    }
  }
}

/** The forward pass: writes `y` ([n, T, B]), `cLast` ([n, B]) and `saved`. */
export function lstmForwardInto(
  gemm: Gemm,
  dims: LstmDims,
  ops: LstmOperands,
  y: TypedArray,
  cLast: TypedArray,
  saved: LstmSaved,
): void {
  const { input, n, steps: T, batch: B } = dims;
  const G = 4 * n;
  const nb = n * B;
  const { xt, gates, cells, tanhCells, hs } = saved;
  toTimeMajor(ops.x, xt, input, T, B);
  // Every step's input projection in one GEMM: gates [4n, B*T] = Wi * xt.
  gemm(false, false, G, B * T, input, 1, ops.wi, G, xt, input, 0, gates, G);
  hs.set(ops.h0.subarray(0, nb));
  for (let t = 0; t < T; t++) {
    const g = gates.subarray(t * G * B, (t + 1) * G * B);
    gemm(false, false, G, B, n, 1, ops.wh, G, hs.subarray(t * nb, (t + 1) * nb), n, 1, g, G);
    const cprev = t === 0 ? ops.c0.subarray(0, nb) : cells.subarray((t - 1) * nb, t * nb);
    const c = cells.subarray(t * nb, (t + 1) * nb);
    const tc = tanhCells.subarray(t * nb, (t + 1) * nb);
    const h = hs.subarray((t + 1) * nb, (t + 2) * nb);
    if (!lstmGatesSimd(B, n, ops.b, g, cprev, c, tc, h)) gatesJs(B, n, ops.b, g, cprev, c, tc, h);
  }
  toTimeMajor(hs.subarray(nb), y, n, T, B, true);
  cLast.set(cells.subarray((T - 1) * nb, T * nb));
}

/**
 * @internal The gate pass of one step over `cols` contiguous columns in scalar JS (f64, or a runtime
 * without wasm SIMD): adds the bias `b` ([4n] or null) to `g` ([4n, cols]), activates it in place and
 * writes c, tanh(c) and h ([n, cols] each).
 */
export function gatesJs(
  cols: number,
  n: number,
  bias: TypedArray | null,
  g: TypedArray,
  cprev: TypedArray,
  c: TypedArray,
  tc: TypedArray,
  h: TypedArray,
): void {
  for (let b = 0; b < cols; b++) {
    const a = b * 4 * n;
    const s = b * n;
    for (let j = 0; j < n; j++) {
      const zi = g[a + j]! + (bias === null ? 0 : bias[j]!);
      const zf = g[a + n + j]! + (bias === null ? 0 : bias[n + j]!);
      const zg = g[a + 2 * n + j]! + (bias === null ? 0 : bias[2 * n + j]!);
      const zo = g[a + 3 * n + j]! + (bias === null ? 0 : bias[3 * n + j]!);
      const i = sigmoid(zi);
      const f = sigmoid(zf);
      const gg = tanh(zg);
      const o = sigmoid(zo);
      // Rounded to the storage type before tanh, as the unfused `tanh(f .* c .+ i .* g)` sees it.
      c[s + j] = f * cprev[s + j]! + i * gg;
      const t = tanh(c[s + j]!);
      tc[s + j] = t;
      h[s + j] = o * t;
      g[a + j] = i;
      g[a + n + j] = f;
      g[a + 2 * n + j] = gg;
      g[a + 3 * n + j] = o;
    }
  }
}

/**
 * @internal One step's backward gate pass over `cols` columns in scalar JS (f64, or a runtime without wasm
 * SIMD): writes the pre-activations' cotangents and carries dc to the previous step.
 */
export function gatesBackwardJs(cols: number, n: number, op: LstmBackwardStep): void {
  const {
    gates,
    tc: tanhs,
    cprev,
    dy,
    dh,
    dc,
    dgates,
  } = op as {
    [K in keyof LstmBackwardStep]: LstmBackwardStep[K] extends ArrayLike<number> ? TypedArray : number;
  };
  for (let b = 0; b < cols; b++) {
    const a = b * 4 * n;
    const r = b * n;
    const q = op.dyStart + b * op.dyStride;
    for (let j = 0; j < n; j++) {
      const i = gates[a + j]!;
      const f = gates[a + n + j]!;
      const g = gates[a + 2 * n + j]!;
      const o = gates[a + 3 * n + j]!;
      const tc = tanhs[r + j]!;
      const dhv = dy[q + j]! + dh[r + j]!;
      const dcv = dc[r + j]! + dhv * o * (1 - tc * tc);
      dgates[a + j] = dcv * g * i * (1 - i);
      dgates[a + n + j] = dcv * cprev[r + j]! * f * (1 - f);
      dgates[a + 2 * n + j] = dcv * i * (1 - g * g);
      dgates[a + 3 * n + j] = dhv * tc * o * (1 - o);
      dc[r + j] = dcv * f;
    }
  }
}

/** What the backward pass writes (null: not wanted). */
export interface LstmGradBuffers {
  /** [in, T, B]. */
  readonly dx: TypedArray | null;
  /** [4n, in]. */
  readonly dwi: TypedArray | null;
  /** [4n, n]. */
  readonly dwh: TypedArray | null;
  /** [4n]. */
  readonly db: TypedArray | null;
  /** [n, B]. */
  readonly dh0: TypedArray;
  /** [n, B]. */
  readonly dc0: TypedArray;
}

/** Scratch the backward pass needs. */
export interface LstmScratch {
  /** [4n, B, T]: the gates' cotangents, time-major. */
  readonly dgates: TypedArray;
  /** [n, 4n]: Whᵀ, so that the per-step GEMM reads its left operand untransposed. */
  readonly wht: TypedArray;
  /** [in, B, T] when dx is wanted: dx time-major. */
  readonly dxt: TypedArray | null;
  /** [T * B] ones when db is wanted. */
  readonly ones: TypedArray | null;
}

/**
 * The backward pass from the forward's saved values: `dy` is the cotangent of `y` ([n, T, B]) and `dcT`
 * that of the last cell state ([n, B], or null for zero).
 */
export function lstmBackwardInto(
  gemm: Gemm,
  dims: LstmDims,
  ops: LstmOperands,
  saved: LstmSaved,
  dy: TypedArray,
  dcT: TypedArray | null,
  out: LstmGradBuffers,
  scratch: LstmScratch,
): void {
  const { input, n, steps: T, batch: B } = dims;
  const G = 4 * n;
  const nb = n * B;
  const { cells, tanhCells, gates, hs, xt } = saved;
  const { dgates, wht, dxt } = scratch;
  const { dh0: dh, dc0: dc } = out;
  for (let r = 0; r < G; r++) for (let c = 0; c < n; c++) wht[c + n * r] = ops.wh[r + G * c]!;
  // dh carries Whᵀ * dgates from step t+1 (zero after the last step); dc carries dc' .* f.
  dh.fill(0);
  if (dcT === null) dc.fill(0);
  else dc.set(dcT.subarray(0, nb));
  for (let t = T - 1; t >= 0; t--) {
    const step = {
      gates: gates.subarray(t * G * B, (t + 1) * G * B),
      tc: tanhCells.subarray(t * nb, (t + 1) * nb),
      cprev: t === 0 ? ops.c0.subarray(0, nb) : cells.subarray((t - 1) * nb, t * nb),
      dy,
      dyStart: t * n, // dy's column (t, b) of [n, T, B]
      dyStride: T * n,
      dh,
      dc,
      dgates: dgates.subarray(t * G * B, (t + 1) * G * B),
    };
    if (!lstmGatesBackwardSimd(B, n, step)) gatesBackwardJs(B, n, step);
    // dh of step t-1 (or of h0 after step 0): Whᵀ times this step's gate cotangents.
    gemm(false, false, n, B, G, 1, wht, n, dgates.subarray(t * G * B, (t + 1) * G * B), G, 0, dh, n);
  }
  // The weights' gradients over every step at once: dgates against the h each step multiplied (h0, then
  // every step but the last) and against the input.
  if (out.dwh !== null) gemm(false, true, G, n, T * B, 1, dgates, G, hs, n, 0, out.dwh, G);
  if (out.dwi !== null) gemm(false, true, G, input, T * B, 1, dgates, G, xt, input, 0, out.dwi, G);
  // db: dgates' row sums, as a GEMM against a column of ones (memory-bound, so as fast as a loop can be).
  if (out.db !== null && scratch.ones !== null)
    gemm(false, false, G, 1, T * B, 1, dgates, G, scratch.ones, T * B, 0, out.db, G);
  if (out.dx !== null && dxt !== null) {
    gemm(true, false, input, T * B, G, 1, ops.wi, G, dgates, G, 0, dxt, input);
    toTimeMajor(dxt, out.dx, input, T, B, true);
  }
}
