// The fused LSTM recurrence on the CPU: the whole time loop of a sequence in one call, forward and backward,
// as cuDNN and PyTorch's fused RNN kernels do it. Per step the forward is ONE GEMM (`Wh * h`, accumulated
// onto the step's precomputed input projection) and ONE pass over the gates (the four activations, c' and
// h'); the backward is one pass over the gates and one GEMM (`Whᵀ * dgates`), and the recurrent weight's
// gradient is one GEMM over all steps at the end (`dgates * hprevᵀ`, K = steps * batch) instead of one
// small product and one accumulation per step.
//
// Layout. The caller's arrays are column-major features x time x batch (`xp` [4n, T, B], `y` [n, T, B]), so
// one step's B columns are T columns apart. Inside, everything is time-major ([rows, B, T]: one step's
// columns are one contiguous block), so every per-step GEMM reads and writes contiguous matrices (the wasm
// GEMM copies whole spans in and out, which strided columns would make T times larger), and the hidden
// states of all steps, h0 first, are ONE buffer `hs` [n, B, T + 1] whose first T blocks are the dWh GEMM's
// `hprev` as they stand. The columns are reordered once on the way in (xp) and once on the way out (y, dxp).
import type { TypedArray } from "../dtype.js";
import type { Gemm } from "./gemm.js";
import { lstmGatesSimd } from "./wasm/lstmSimd.js";

/** The sizes of one fused LSTM call: hidden size `n`, `steps` time steps, `batch` sequences. */
export interface LstmDims {
  readonly n: number;
  readonly steps: number;
  readonly batch: number;
}

/** What the forward pass keeps for the backward pass (time-major, see above). */
export interface LstmSaved {
  /** [4n, B, T]: the activated gates i, f, g, o of every step. */
  readonly gates: TypedArray;
  /** [n, B, T]: c of every step. */
  readonly cells: TypedArray;
  /** [n, B, T]: tanh(c) of every step (so the backward pass needs no transcendental). */
  readonly tanhCells: TypedArray;
  /** [n, B, T + 1]: h0, then h of every step. */
  readonly hs: TypedArray;
}

// The logistic function and tanh through one Math.exp each (Math.tanh is slower in V8). For v below
// about -354 (sigmoid) or above 354 (tanh), exp overflows to Infinity and the quotient gives the exact limit.
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const tanh = (v: number): number => (Math.abs(v) < 1e-4 ? v * (1 - (v * v) / 3) : 1 - 2 / (1 + Math.exp(2 * v)));

// Column (t, b) of a [rows, T, B] array to column (b, t) of a [rows, B, T] one, for one step (or back).
function stepIn(src: TypedArray, dst: TypedArray, rows: number, t: number, dims: LstmDims): void {
  const { steps: T, batch: B } = dims;
  for (let b = 0; b < B; b++) {
    const from = (t + T * b) * rows;
    dst.set(src.subarray(from, from + rows), (b + B * t) * rows);
  }
}
function stepOut(src: TypedArray, srcOffset: number, dst: TypedArray, rows: number, t: number, dims: LstmDims): void {
  const { steps: T, batch: B } = dims;
  for (let b = 0; b < B; b++) {
    const from = srcOffset + b * rows;
    dst.set(src.subarray(from, from + rows), (t + T * b) * rows);
  }
}

/**
 * The forward recurrence. `xp` is `Wi * x .+ b` for every step ([4n, T, B]), `wh` the stacked recurrent
 * kernel [4n, n], `h0` and `c0` the initial state [n, B]. Gate order i, f, g, o (Flux's and PyTorch's).
 * Writes `y` ([n, T, B]), `cLast` ([n, B]) and `saved`.
 */
export function lstmForwardInto(
  gemm: Gemm,
  dims: LstmDims,
  xp: TypedArray,
  wh: TypedArray,
  h0: TypedArray,
  c0: TypedArray,
  y: TypedArray,
  cLast: TypedArray,
  saved: LstmSaved,
): void {
  const { n, steps: T, batch: B } = dims;
  const G = 4 * n;
  const { gates, cells, tanhCells, hs } = saved;
  const nb = n * B;
  hs.set(h0.subarray(0, nb));
  for (let t = 0; t < T; t++) {
    // The step's pre-activations: its input projection, plus Wh * h of the previous step.
    stepIn(xp, gates, G, t, dims);
    const g = gates.subarray(t * G * B, (t + 1) * G * B);
    gemm(false, false, G, B, n, 1, wh, G, hs.subarray(t * nb, (t + 1) * nb), n, 1, g, G);
    const cprev = t === 0 ? c0.subarray(0, nb) : cells.subarray((t - 1) * nb, t * nb);
    const c = cells.subarray(t * nb, (t + 1) * nb);
    const tc = tanhCells.subarray(t * nb, (t + 1) * nb);
    const h = hs.subarray((t + 1) * nb, (t + 2) * nb);
    if (!lstmGatesSimd(B, n, g, cprev, c, tc, h)) gatesJs(B, n, g, cprev, c, tc, h);
    stepOut(hs, (t + 1) * nb, y, n, t, dims);
  }
  cLast.set(cells.subarray((T - 1) * nb, T * nb));
}

/**
 * The gate pass of one step over `cols` contiguous columns in scalar JS (f64, or a runtime without wasm
 * SIMD): activates `g` ([4n, cols]) in place and writes c, tanh(c) and h ([n, cols] each).
 */
export function gatesJs(
  cols: number,
  n: number,
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
      const i = sigmoid(g[a + j]!);
      const f = sigmoid(g[a + n + j]!);
      const gg = tanh(g[a + 2 * n + j]!);
      const o = sigmoid(g[a + 3 * n + j]!);
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

/** What the backward pass writes: the cotangents of the forward's inputs. */
export interface LstmGradBuffers {
  /** [4n, T, B]: d xp (the pre-activation gates' cotangents). */
  readonly dxp: TypedArray;
  /** [4n, n]: d Wh, or null when not wanted. */
  readonly dwh: TypedArray | null;
  /** [n, B]: d h0. */
  readonly dh0: TypedArray;
  /** [n, B]: d c0. */
  readonly dc0: TypedArray;
  /** [4n, B, T] scratch: the gates' cotangents, time-major. */
  readonly dgates: TypedArray;
}

/**
 * The backward recurrence from the forward's saved values: `dy` is the cotangent of `y` ([n, T, B]) and
 * `dcT` that of the last cell state ([n, B], or null for zero).
 */
export function lstmBackwardInto(
  gemm: Gemm,
  dims: LstmDims,
  wh: TypedArray,
  c0: TypedArray,
  saved: LstmSaved,
  dy: TypedArray,
  dcT: TypedArray | null,
  out: LstmGradBuffers,
): void {
  const { n, steps: T, batch: B } = dims;
  const G = 4 * n;
  const nb = n * B;
  const { cells, tanhCells, gates, hs } = saved;
  const { dxp, dwh, dh0: dh, dc0: dc, dgates } = out;
  // dh carries Whᵀ * dgates from step t+1 (zero after the last step); dc carries dc' .* f.
  dh.fill(0);
  if (dcT === null) dc.fill(0);
  else dc.set(dcT);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const a = (b + B * t) * G; // this step's column b, time-major
      const s = (b + B * t) * n;
      const p = t === 0 ? b * n : s - nb; // c of the step before
      const prev = t === 0 ? c0 : cells;
      const q = (t + T * b) * n; // dy's column (t, b)
      const r = b * n;
      for (let j = 0; j < n; j++) {
        const i = gates[a + j]!;
        const f = gates[a + n + j]!;
        const g = gates[a + 2 * n + j]!;
        const o = gates[a + 3 * n + j]!;
        const tc = tanhCells[s + j]!;
        const dhv = dy[q + j]! + dh[r + j]!;
        const dcv = dc[r + j]! + dhv * o * (1 - tc * tc);
        dgates[a + j] = dcv * g * i * (1 - i);
        dgates[a + n + j] = dcv * prev[p + j]! * f * (1 - f);
        dgates[a + 2 * n + j] = dcv * i * (1 - g * g);
        dgates[a + 3 * n + j] = dhv * tc * o * (1 - o);
        dc[r + j] = dcv * f;
      }
    }
    const dg = dgates.subarray(t * G * B, (t + 1) * G * B);
    // dh of step t-1 (or of h0 after step 0): Whᵀ times this step's gate cotangents.
    gemm(true, false, n, B, G, 1, wh, G, dg, G, 0, dh, n);
    stepOut(dgates, t * G * B, dxp, G, t, dims);
  }
  // Every step's dgates against the h it multiplied (h0, then the steps but the last): one GEMM.
  if (dwh !== null) gemm(false, true, G, n, T * B, 1, dgates, G, hs, n, 0, dwh, G);
}
