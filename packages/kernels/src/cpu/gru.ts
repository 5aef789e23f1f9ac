// The fused GRU layer on the CPU (Flux's GRUCell, v1 of the paper: gates r, z and the candidate n stacked in
// that order): the input projection of every step in one GEMM, then per step ONE `Wh * h` GEMM and ONE pass
// over the gates; the backward pass is per step one pass over the gates and one `Whᵀ * dgh` GEMM, then one
// GEMM each for the weights' gradients over all steps at once. Unlike the LSTM's, the recurrent product
// cannot be accumulated onto the projection: the candidate uses `r .* (Wh_n * h)`, so it is kept per step,
// and its cotangent differs from the projection's in that block (dgh_n = dgx_n .* r).
// Layout as cpu/lstm.ts: the caller's arrays are [rows, T, B], everything inside is time-major.
import type { TypedArray } from "../dtype.js";
import type { Gemm } from "./gemm.js";
import { type LstmDims as GruDims, toTimeMajor } from "./lstm.js";

export type { GruDims };

/** What the forward pass keeps for the backward pass (time-major). */
export interface GruSaved {
  /** [in, B, T]: the input. */
  readonly xt: TypedArray;
  /** [3n, B, T]: r, z and the candidate h̃ after their activations. */
  readonly gates: TypedArray;
  /** [3n, B, T]: `Wh * h` of every step (its n block is read again for dr). */
  readonly gh: TypedArray;
  /** [n, B, T + 1]: h0, then h of every step. */
  readonly hs: TypedArray;
}

/** The forward pass's operands. */
export interface GruOperands {
  /** [in, T, B]. */
  readonly x: TypedArray;
  /** [3n, in]. */
  readonly wi: TypedArray;
  /** [3n, n]. */
  readonly wh: TypedArray;
  /** [3n], or null. */
  readonly b: TypedArray | null;
  /** [n, B]. */
  readonly h0: TypedArray;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const tanh = (v: number): number =>
  Math.abs(v) < 1e-4 ? v * (1 - (v * v) / 3) : 1 - 2 / (1 + Math.exp(2 * v));

/** The forward pass: writes `y` ([n, T, B]) and `saved`. */
export function gruForwardInto(
  gemm: Gemm,
  dims: GruDims,
  ops: GruOperands,
  y: TypedArray,
  saved: GruSaved,
): void {
  const { input, n, steps: T, batch: B } = dims;
  const G = 3 * n;
  const nb = n * B;
  const { xt, gates, gh, hs } = saved;
  const bias = ops.b;
  toTimeMajor(ops.x, xt, input, T, B);
  gemm(false, false, G, B * T, input, 1, ops.wi, G, xt, input, 0, gates, G);
  hs.set(ops.h0.subarray(0, nb));
  for (let t = 0; t < T; t++) {
    const ghT = gh.subarray(t * G * B, (t + 1) * G * B);
    gemm(false, false, G, B, n, 1, ops.wh, G, hs.subarray(t * nb, (t + 1) * nb), n, 0, ghT, G);
    for (let b = 0; b < B; b++) {
      const a = (b + B * t) * G;
      const p = (b + B * t) * n; // h of the step before (block t of hs)
      const q = p + nb; // this step's h (block t + 1)
      for (let j = 0; j < n; j++) {
        const r = sigmoid(gates[a + j]! + (bias === null ? 0 : bias[j]!) + gh[a + j]!);
        const z = sigmoid(gates[a + n + j]! + (bias === null ? 0 : bias[n + j]!) + gh[a + n + j]!);
        const c = tanh(
          gates[a + 2 * n + j]! + (bias === null ? 0 : bias[2 * n + j]!) + r * gh[a + 2 * n + j]!,
        );
        gates[a + j] = r;
        gates[a + n + j] = z;
        gates[a + 2 * n + j] = c;
        const h = hs[p + j]!;
        hs[q + j] = z * (h - gates[a + 2 * n + j]!) + gates[a + 2 * n + j]!; // (1 - z) h̃ + z h, as Flux
      }
    }
  }
  toTimeMajor(hs.subarray(nb), y, n, T, B, true);
}

/** What the backward pass writes (null: not wanted). */
export interface GruGradBuffers {
  readonly dx: TypedArray | null;
  readonly dwi: TypedArray | null;
  readonly dwh: TypedArray | null;
  readonly db: TypedArray | null;
  /** [n, B]. */
  readonly dh0: TypedArray;
}

/** Scratch the backward pass needs. */
export interface GruScratch {
  /** [3n, B, T]: the projection's cotangents. */
  readonly dgx: TypedArray;
  /** [3n, B, T]: the recurrent product's cotangents. */
  readonly dgh: TypedArray;
  /** [n, 3n]: Whᵀ. */
  readonly wht: TypedArray;
  /** [in, B, T] when dx is wanted. */
  readonly dxt: TypedArray | null;
  /** [T * B] ones when db is wanted. */
  readonly ones: TypedArray | null;
}

/** The backward pass: `dy` is the cotangent of `y` ([n, T, B]); the last h is y's last step. */
export function gruBackwardInto(
  gemm: Gemm,
  dims: GruDims,
  ops: GruOperands,
  saved: GruSaved,
  dy: TypedArray,
  out: GruGradBuffers,
  scratch: GruScratch,
): void {
  const { input, n, steps: T, batch: B } = dims;
  const G = 3 * n;
  const { gates, gh, hs, xt } = saved;
  const { dgx, dgh, wht, dxt } = scratch;
  const dh = out.dh0; // carries the cotangent reaching h of the step before
  for (let r = 0; r < G; r++) for (let c = 0; c < n; c++) wht[c + n * r] = ops.wh[r + G * c]!;
  dh.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const a = (b + B * t) * G;
      const p = (b + B * t) * n;
      const q = (t + T * b) * n; // dy's column (t, b)
      const s = b * n;
      for (let j = 0; j < n; j++) {
        const r = gates[a + j]!;
        const z = gates[a + n + j]!;
        const c = gates[a + 2 * n + j]!;
        const dhv = dy[q + j]! + dh[s + j]!;
        const dpz = dhv * (hs[p + j]! - c) * z * (1 - z);
        const dpn = dhv * (1 - z) * (1 - c * c);
        const dpr = dpn * gh[a + 2 * n + j]! * r * (1 - r);
        dgx[a + j] = dpr;
        dgx[a + n + j] = dpz;
        dgx[a + 2 * n + j] = dpn;
        dgh[a + j] = dpr;
        dgh[a + n + j] = dpz;
        dgh[a + 2 * n + j] = dpn * r;
        dh[s + j] = dhv * z; // the direct path h -> h'; the GEMM below adds Whᵀ * dgh
      }
    }
    gemm(false, false, n, B, G, 1, wht, n, dgh.subarray(t * G * B, (t + 1) * G * B), G, 1, dh, n);
  }
  if (out.dwh !== null) gemm(false, true, G, n, T * B, 1, dgh, G, hs, n, 0, out.dwh, G);
  if (out.dwi !== null) gemm(false, true, G, input, T * B, 1, dgx, G, xt, input, 0, out.dwi, G);
  if (out.db !== null && scratch.ones !== null)
    gemm(false, false, G, 1, T * B, 1, dgx, G, scratch.ones, T * B, 0, out.db, G);
  if (out.dx !== null && dxt !== null) {
    gemm(true, false, input, T * B, G, 1, ops.wi, G, dgx, G, 0, dxt, input);
    toTimeMajor(dxt, out.dx, input, T, B, true);
  }
}
