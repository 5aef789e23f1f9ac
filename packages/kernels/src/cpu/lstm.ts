// The fused LSTM recurrence on the CPU: the whole time loop of a sequence in one call, forward and backward,
// as cuDNN and PyTorch's fused RNN kernels do it. Per step the forward is ONE GEMM (`Wh * h`, accumulated
// onto the step's precomputed input projection) and ONE pass over the gates (the four activations, c' and
// h'); the backward is one pass over the gates and one GEMM (`Whᵀ * dgates`), and the recurrent weight's
// gradient is one GEMM over all steps at the end (`dgates * hprevᵀ`, K = steps * batch) instead of one
// small product and one accumulation per step.
//
// Layout (column-major, Flux's features x time x batch): `xp`, the gates and their cotangents are
// [4n, T, B] and `y`, the cell states and tanh of them are [n, T, B], so the B columns of step t are every
// T-th column from column t. The GEMMs read and write those columns in place through their leading
// dimension (T times the column height): no slice, copy or stack per step.
import type { TypedArray } from "../dtype.js";
import type { Gemm } from "./gemm.js";

/** The sizes of one fused LSTM call: hidden size `n`, `steps` time steps, `batch` sequences. */
export interface LstmDims {
  readonly n: number;
  readonly steps: number;
  readonly batch: number;
}

/** What the forward pass writes: outputs and the values the backward pass reads again. */
export interface LstmForwardBuffers {
  /** [n, T, B]: h of every step (the layer's output). */
  readonly y: TypedArray;
  /** [n, T, B]: c of every step. */
  readonly cells: TypedArray;
  /** [n, T, B]: tanh(c) of every step (saved so the backward pass needs no transcendental). */
  readonly tanhCells: TypedArray;
  /** [4n, T, B]: the activated gates i, f, g, o of every step. */
  readonly gates: TypedArray;
}

// The logistic function and tanh through one Math.exp each (Math.tanh is slower in V8). For v below
// about -354 (sigmoid) or above 354 (tanh), exp overflows to Infinity and the quotient gives the exact limit.
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const tanh = (v: number): number => (Math.abs(v) < 1e-4 ? v * (1 - (v * v) / 3) : 1 - 2 / (1 + Math.exp(2 * v)));

/**
 * The forward recurrence. `xp` is `Wi * x .+ b` for every step ([4n, T, B]), `wh` the stacked recurrent
 * kernel [4n, n], `h0` and `c0` the initial state [n, B]. Gate order i, f, g, o (Flux's and PyTorch's).
 */
export function lstmForwardInto(
  gemm: Gemm,
  dims: LstmDims,
  xp: TypedArray,
  wh: TypedArray,
  h0: TypedArray,
  c0: TypedArray,
  out: LstmForwardBuffers,
): void {
  const { n, steps: T, batch: B } = dims;
  const G = 4 * n;
  const { y, cells, tanhCells, gates } = out;
  gates.set(xp); // the pre-activations start as the input projection; each step's GEMM adds Wh * h
  for (let t = 0; t < T; t++) {
    if (t === 0) gemm(false, false, G, B, n, 1, wh, G, h0, n, 1, gates, T * G);
    else gemm(false, false, G, B, n, 1, wh, G, y.subarray((t - 1) * n), T * n, 1, gates.subarray(t * G), T * G);
    for (let b = 0; b < B; b++) {
      const col = t + T * b;
      const a = col * G;
      const s = col * n;
      // c of the previous step: the column before in the same sequence, or the initial state.
      const prev = t === 0 ? c0 : cells;
      const p = t === 0 ? b * n : s - n;
      for (let j = 0; j < n; j++) {
        const i = sigmoid(gates[a + j]!);
        const f = sigmoid(gates[a + n + j]!);
        const g = tanh(gates[a + 2 * n + j]!);
        const o = sigmoid(gates[a + 3 * n + j]!);
        // Rounded to the storage type before tanh, as the unfused `tanh(f .* c .+ i .* g)` sees it.
        cells[s + j] = f * prev[p + j]! + i * g;
        const tc = tanh(cells[s + j]!);
        tanhCells[s + j] = tc;
        y[s + j] = o * tc;
        gates[a + j] = i;
        gates[a + n + j] = f;
        gates[a + 2 * n + j] = g;
        gates[a + 3 * n + j] = o;
      }
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
  /** [n, T, B] scratch: the previous step's h for every step (read by the d Wh GEMM). */
  readonly hprev: TypedArray | null;
}

/**
 * The backward recurrence from the forward's buffers: `dy` is the cotangent of `y` ([n, T, B]) and `dcT`
 * that of the last cell state ([n, B], or null for zero).
 */
export function lstmBackwardInto(
  gemm: Gemm,
  dims: LstmDims,
  wh: TypedArray,
  h0: TypedArray,
  c0: TypedArray,
  fwd: LstmForwardBuffers,
  dy: TypedArray,
  dcT: TypedArray | null,
  out: LstmGradBuffers,
): void {
  const { n, steps: T, batch: B } = dims;
  const G = 4 * n;
  const { cells, tanhCells, gates, y } = fwd;
  const { dxp, dwh, dh0: dh, dc0: dc, hprev } = out;
  // dh carries Whᵀ * dgates from step t+1 (zero after the last step); dc carries dc' .* f.
  dh.fill(0);
  if (dcT === null) dc.fill(0);
  else dc.set(dcT);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const col = t + T * b;
      const a = col * G;
      const s = col * n;
      const prev = t === 0 ? c0 : cells;
      const p = t === 0 ? b * n : s - n;
      const r = b * n;
      for (let j = 0; j < n; j++) {
        const i = gates[a + j]!;
        const f = gates[a + n + j]!;
        const g = gates[a + 2 * n + j]!;
        const o = gates[a + 3 * n + j]!;
        const tc = tanhCells[s + j]!;
        const dhv = dy[s + j]! + dh[r + j]!;
        const dcv = dc[r + j]! + dhv * o * (1 - tc * tc);
        dxp[a + j] = dcv * g * i * (1 - i);
        dxp[a + n + j] = dcv * prev[p + j]! * f * (1 - f);
        dxp[a + 2 * n + j] = dcv * i * (1 - g * g);
        dxp[a + 3 * n + j] = dhv * tc * o * (1 - o);
        dc[r + j] = dcv * f;
      }
    }
    // dh of step t-1 (or of h0 after step 0): Whᵀ times this step's gate cotangents.
    gemm(true, false, n, B, G, 1, wh, G, dxp.subarray(t * G), T * G, 0, dh, n);
  }
  if (dwh === null || hprev === null) return;
  // hprev: y shifted one step later in each sequence, h0 in front.
  for (let b = 0; b < B; b++) {
    hprev.set(h0.subarray(b * n, (b + 1) * n), b * T * n);
    hprev.set(y.subarray(b * T * n, (b * T + T - 1) * n), (b * T + 1) * n);
  }
  gemm(false, true, G, n, T * B, 1, dxp, G, hprev, n, 0, dwh, G);
}
