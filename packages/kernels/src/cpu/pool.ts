// 2-D max/mean pooling over [W, H, C, N] and their backward passes. Mean divides by the full window size
// (padding included), as NNlib's meanpool does; max ignores padding.
//
// One walk over the windows serves every op and direction (`poolWindows`); these run over every activation
// of a CNN each step, so the per-window work is plain loops, not a callback per window or an op test per
// element (either costs several times the arithmetic).
import type { Pool2dGeometry } from "../backend.js";
import type { TypedArray } from "../dtype.js";
import type { PoolOp } from "../opNames.js";
import { maxpool2x2BackwardSimd, maxpool2x2Simd } from "./wasm/poolSimd.js";

/** The clipped window starts and ends along one axis, per output index: [start0, end0, start1, ...]. */
function windowBounds(outSize: number, stride: number, pad: number, k: number, size: number): Int32Array {
  const b = new Int32Array(2 * outSize);
  for (let o = 0; o < outSize; o++) {
    const s = o * stride - pad;
    b[2 * o] = Math.max(s, 0);
    b[2 * o + 1] = Math.min(s + k, size);
  }
  return b;
}

interface Windows {
  W: number;
  planes: number;
  planeSize: number;
  oW: number;
  oH: number;
  bw: Int32Array;
  bh: Int32Array;
}

function windowsOf(g: Pool2dGeometry): Windows {
  const [W, H, C, N] = g.inShape;
  const [oW, oH] = g.outShape;
  return {
    W,
    planes: C * N,
    planeSize: W * H,
    oW,
    oH,
    bw: windowBounds(oW, g.stride[0], g.pad[0], g.window[0], W),
    bh: windowBounds(oH, g.stride[1], g.pad[2], g.window[1], H),
  };
}

/**
 * Flux's MaxPool((2, 2)): 2×2 windows, stride 2, no padding. Every window lies inside the image, so the
 * four reads need no bounds; this is most of the pooling work in a LeNet-style CNN.
 */
function isPlain2x2(g: Pool2dGeometry): boolean {
  const [W, H] = g.inShape;
  const [oW, oH] = g.outShape;
  return (
    g.window[0] === 2 &&
    g.window[1] === 2 &&
    g.stride[0] === 2 &&
    g.stride[1] === 2 &&
    g.pad.every((p) => p === 0) &&
    2 * oW <= W &&
    2 * oH <= H
  );
}

/** The max of a, b, c, d; NaN when any is NaN (as Math.max). */
function max4(a: number, b: number, c: number, d: number): number {
  let m = a;
  if (b > m || Number.isNaN(b)) m = b;
  if (c > m || Number.isNaN(c)) m = c;
  if (d > m || Number.isNaN(d)) m = d;
  return m;
}

/**
 * max(a, b, c, d) without a data-dependent branch in the common case: `v + w + |v - w|` is twice the larger
 * of v and w, computed in f64 from f32 values. That is exact unless the magnitudes are more than 2^29
 * apart, an infinity or NaN is involved, or the answer is a (signed) zero; so the result is accepted only
 * when it equals one of the four and is not below any of them (branch-free 0/1 tests), and max4 decides
 * every other window. The random-sign comparisons of max4 alone mispredicted often enough to make pooling
 * a tenth of a LeNet training step.
 */
function fastMax4(a: number, b: number, c: number, d: number): number {
  const p = a + b + Math.abs(a - b);
  const q = c + d + Math.abs(c - d);
  const m = 0.25 * (p + q + Math.abs(p - q));
  const ok =
    (+(m === a) | +(m === b) | +(m === c) | +(m === d)) &
    +(m >= a) &
    +(m >= b) &
    +(m >= c) &
    +(m >= d) &
    +(m !== 0);
  return ok === 0 ? max4(a, b, c, d) : m;
}

/**
 * Which pass `poolWindows` runs: forward (writes y) or backward (adds into dx), max or mean, and max over
 * Flux's plain 2×2 windows (see `isPlain2x2`) with reads that need no bounds.
 */
type Pass = "max" | "mean" | "max2x2" | "maxBackward" | "meanBackward" | "max2x2Backward";

/** The operands of a pass: forward reads x and writes `out` (y); backward also reads y and dy and writes dx. */
interface PassArrays {
  x: TypedArray;
  out: TypedArray;
  y?: TypedArray;
  dy?: TypedArray;
}

/**
 * Every pass over every window in output order: one walk over the output rows (per channel-image plane)
 * with the pass's loop over one row of windows. The pass is the same for every row of a call, so the
 * switch per row always goes the same way; a switch or a callback per window would cost about as much as a
 * 2×2 window's arithmetic (measured: 1.2-1.5x on the plain 2×2 passes).
 */
function poolWindows(pass: Pass, a: PassArrays, g: Pool2dGeometry): void {
  const { W, planes, planeSize, oW, oH, bw, bh } = windowsOf(g);
  const { x, out } = a;
  const y = a.y ?? x;
  const dy = a.dy ?? x;
  const inv = 1 / (g.window[0] * g.window[1]);
  for (let cn = 0, o = 0; cn < planes; cn++) {
    const plane = cn * planeSize;
    for (let oh = 0; oh < oH; oh++, o += oW) {
      // Offsets of the windows' first row and of the row after their last; a plain 2×2 window ow starts
      // at r0 + 2 ow.
      const r0 = plane + bh[2 * oh]! * W;
      const r1 = plane + bh[2 * oh + 1]! * W;
      switch (pass) {
        case "max":
          for (let ow = 0; ow < oW; ow++) out[o + ow] = windowMax(x, r0, r1, W, bw[2 * ow]!, bw[2 * ow + 1]!);
          break;
        case "mean":
          for (let ow = 0; ow < oW; ow++)
            out[o + ow] = inv * windowSum(x, r0, r1, W, bw[2 * ow]!, bw[2 * ow + 1]!);
          break;
        case "max2x2":
          for (let ow = 0, i = r0; ow < oW; ow++, i += 2)
            out[o + ow] = fastMax4(x[i]!, x[i + 1]!, x[i + W]!, x[i + W + 1]!);
          break;
        case "maxBackward":
          for (let ow = 0; ow < oW; ow++) {
            addToFirstMax(x, y[o + ow]!, dy[o + ow]!, r0, r1, W, bw[2 * ow]!, bw[2 * ow + 1]!, out);
          }
          break;
        case "meanBackward":
          for (let ow = 0; ow < oW; ow++)
            spread(dy[o + ow]! * inv, r0, r1, W, bw[2 * ow]!, bw[2 * ow + 1]!, out);
          break;
        case "max2x2Backward":
          setFirstMax2x2Row(x, y, dy, o, oW, r0, W, out);
          break;
      }
    }
  }
}

/** The max of x over rows [r0, r1) (offsets, W apart) and columns [w0, w1); NaN propagates, as Math.max. */
function windowMax(x: TypedArray, r0: number, r1: number, W: number, w0: number, w1: number): number {
  let acc = Number.NEGATIVE_INFINITY;
  for (let row = r0; row < r1; row += W) {
    for (let w = w0; w < w1; w++) {
      const v = x[row + w]!;
      if (v > acc || Number.isNaN(v)) acc = v;
    }
  }
  return acc;
}

function windowSum(x: TypedArray, r0: number, r1: number, W: number, w0: number, w1: number): number {
  let acc = 0;
  for (let row = r0; row < r1; row += W) for (let w = w0; w < w1; w++) acc += x[row + w]!;
  return acc;
}

/** The first element equal to the window's max `m` takes the whole gradient (row-major scan, as forward). */
function addToFirstMax(
  x: TypedArray,
  m: number,
  grad: number,
  r0: number,
  r1: number,
  W: number,
  w0: number,
  w1: number,
  dx: TypedArray,
): void {
  for (let row = r0; row < r1; row += W) {
    for (let w = w0; w < w1; w++) {
      if (x[row + w] === m) {
        dx[row + w]! += grad;
        return;
      }
    }
  }
}

/** Adds v to every element of the window (mean's backward). */
function spread(v: number, r0: number, r1: number, W: number, w0: number, w1: number, dx: TypedArray): void {
  for (let row = r0; row < r1; row += W) for (let w = w0; w < w1; w++) dx[row + w]! += v;
}

/**
 * A row of plain 2×2 windows (window ow at r0 + 2 ow): the first maximum in the forward scan order (row 0
 * then row 1) takes the gradient; the other three get 0. Written branch-free (0/1 masks: which one matches
 * is random), all four every time, so the windows need no zero-fill first (a NaN or infinite gradient
 * stays where it belongs).
 */
function setFirstMax2x2Row(
  x: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  o: number,
  oW: number,
  r0: number,
  W: number,
  dx: TypedArray,
): void {
  const r1 = r0 + W;
  for (let ow = 0; ow < oW; ow++) {
    const i = 2 * ow;
    const m = y[o + ow]!;
    pick[1] = dy[o + ow]!;
    const e0 = +(x[r0 + i] === m);
    const e1 = +(x[r0 + i + 1] === m) & (1 - e0);
    const e2 = +(x[r1 + i] === m) & (1 - e0) & (1 - e1);
    const e3 = +(x[r1 + i + 1] === m) & (1 - e0) & (1 - e1) & (1 - e2);
    dx[r0 + i] = pick[e0]!;
    dx[r0 + i + 1] = pick[e1]!;
    dx[r1 + i] = pick[e2]!;
    dx[r1 + i + 1] = pick[e3]!;
  }
}

/** pick[0] = 0, pick[1] = the window's gradient: setFirstMax2x2Row's select by a 0/1 index, without a branch. */
const pick = new Float64Array(2);

/** y = pool(x). */
export function pool2dInto(op: PoolOp, x: TypedArray, g: Pool2dGeometry, out: TypedArray): void {
  const [W, H, C, N] = g.inShape;
  const plain = op === "max" && isPlain2x2(g);
  if (plain && maxpool2x2Simd(x, W, H, C * N, out)) return;
  poolWindows(op === "mean" ? "mean" : plain ? "max2x2" : "max", { x, out }, g);
}

/** dx from dy: max routes each window's gradient to its first maximum; mean spreads it evenly. */
export function pool2dBackwardInto(
  op: PoolOp,
  x: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  g: Pool2dGeometry,
  dx: TypedArray,
): void {
  const plain = op === "max" && isPlain2x2(g);
  const [W, H, C, N] = g.inShape;
  // The SIMD kernel writes every element of dx, the odd last row or column included.
  if (plain && maxpool2x2BackwardSimd(x, y, dy, W, H, C * N, dx)) return;
  // The plain 2x2 kernel writes every element of the windows it covers; the rest (an odd last row or
  // column) must still be zero.
  if (!plain || 2 * g.outShape[0] !== g.inShape[0] || 2 * g.outShape[1] !== g.inShape[1]) dx.fill(0);
  const pass = op === "mean" ? "meanBackward" : plain ? "max2x2Backward" : "maxBackward";
  poolWindows(pass, { x, out: dx, y, dy }, g);
}
