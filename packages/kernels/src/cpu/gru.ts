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
import { type GruBackwardStep, gruGatesBackwardSimd, gruGatesSimd } from "./wasm/recurrentSimd.js";

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
    const g = gates.subarray(t * G * B, (t + 1) * G * B);
    const hprev = hs.subarray(t * nb, (t + 1) * nb);
    const h = hs.subarray((t + 1) * nb, (t + 2) * nb);
    if (!gruGatesSimd(B, n, bias, g, ghT, hprev, h)) gruGatesJs(B, n, bias, g, ghT, hprev, h);
  }
  toTimeMajor(hs.subarray(nb), y, n, T, B, true);
}

/**
 * @internal One step's gate pass over `cols` contiguous columns in scalar JS (f64, or no wasm SIMD): `g`
 * ([3n, cols]) holds the projection and becomes r, z, h̃; writes h' from `hprev` and `gh` (`Wh * h`).
 */
export function gruGatesJs(
  cols: number,
  n: number,
  bias: TypedArray | null,
  g: TypedArray,
  gh: TypedArray,
  hprev: TypedArray,
  hout: TypedArray,
): void {
  for (let b = 0; b < cols; b++) {
    const a = b * 3 * n;
    const p = b * n;
    for (let j = 0; j < n; j++) {
      const r = sigmoid(g[a + j]! + (bias === null ? 0 : bias[j]!) + gh[a + j]!);
      const z = sigmoid(g[a + n + j]! + (bias === null ? 0 : bias[n + j]!) + gh[a + n + j]!);
      g[a + 2 * n + j] = tanh(
        g[a + 2 * n + j]! + (bias === null ? 0 : bias[2 * n + j]!) + r * gh[a + 2 * n + j]!,
      );
      g[a + j] = r;
      g[a + n + j] = z;
      const c = g[a + 2 * n + j]!; // rounded to the storage type, as the unfused chain sees it
      hout[p + j] = z * (hprev[p + j]! - c) + c; // (1 - z) h̃ + z h, as Flux
    }
  }
}

/**
 * @internal One step's backward gate pass in scalar JS: writes dgx and dgh ([3n, cols]) and replaces `dh`
 * (the cotangent reaching h from the next step) by this step's direct path dh z.
 */
export function gruGatesBackwardJs(cols: number, n: number, op: GruBackwardStep): void {
  const { gates, gh, hprev, dy, dh, dgx, dgh } = op as {
    [K in keyof GruBackwardStep]: GruBackwardStep[K] extends ArrayLike<number> ? TypedArray : number;
  };
  for (let b = 0; b < cols; b++) {
    const a = b * 3 * n;
    const p = b * n;
    const q = op.dyStart + b * op.dyStride;
    for (let j = 0; j < n; j++) {
      const r = gates[a + j]!;
      const z = gates[a + n + j]!;
      const c = gates[a + 2 * n + j]!;
      const dhv = dy[q + j]! + dh[p + j]!;
      const dpz = dhv * (hprev[p + j]! - c) * z * (1 - z);
      const dpn = dhv * (1 - z) * (1 - c * c);
      const dpr = dpn * gh[a + 2 * n + j]! * r * (1 - r);
      dgx[a + j] = dpr;
      dgx[a + n + j] = dpz;
      dgx[a + 2 * n + j] = dpn;
      dgh[a + j] = dpr;
      dgh[a + n + j] = dpz;
      dgh[a + 2 * n + j] = dpn * r;
      dh[p + j] = dhv * z;
    }
  }
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
    const step = {
      gates: gates.subarray(t * G * B, (t + 1) * G * B),
      gh: gh.subarray(t * G * B, (t + 1) * G * B),
      hprev: hs.subarray(t * n * B, (t + 1) * n * B),
      dy,
      dyStart: t * n, // dy's column (t, b) of [n, T, B]
      dyStride: T * n,
      dh,
      dgx: dgx.subarray(t * G * B, (t + 1) * G * B),
      dgh: dgh.subarray(t * G * B, (t + 1) * G * B),
    };
    // dh becomes the direct path dh z; the GEMM below adds Whᵀ * dgh.
    if (!gruGatesBackwardSimd(B, n, step)) gruGatesBackwardJs(B, n, step);
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
