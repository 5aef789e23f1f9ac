// 2-D max/mean pooling over [W, H, C, N] and their backward passes. Mean divides by the full window size
// (padding included), as NNlib's meanpool does; max ignores padding.
//
// Plain nested loops, one function per op and direction: these run over every activation of a CNN each
// step, and a callback per window (or an op test per element) costs several times the arithmetic.
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

function maxpool2x2Into(x: TypedArray, g: Pool2dGeometry, out: TypedArray): void {
  const [W, H, C, N] = g.inShape;
  const [oW, oH] = g.outShape;
  let o = 0;
  for (let cn = 0; cn < C * N; cn++) {
    const plane = cn * W * H;
    for (let oh = 0; oh < oH; oh++) {
      const r0 = plane + 2 * oh * W;
      const r1 = r0 + W;
      for (let ow = 0; ow < oW; ow++, o++) {
        const i = 2 * ow;
        out[o] = fastMax4(x[r0 + i]!, x[r0 + i + 1]!, x[r1 + i]!, x[r1 + i + 1]!);
      }
    }
  }
}

function maxpool2x2BackwardInto(
  x: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  g: Pool2dGeometry,
  dx: TypedArray,
): void {
  const [W, H, C, N] = g.inShape;
  const [oW, oH] = g.outShape;
  // pick[0] = 0, pick[1] = the window's gradient: a select by a 0/1 index, without a branch.
  const pick = new Float64Array(2);
  let o = 0;
  for (let cn = 0; cn < C * N; cn++) {
    const plane = cn * W * H;
    for (let oh = 0; oh < oH; oh++) {
      const r0 = plane + 2 * oh * W;
      const r1 = r0 + W;
      for (let ow = 0; ow < oW; ow++, o++) {
        const i = 2 * ow;
        const m = y[o]!;
        pick[1] = dy[o]!;
        // The first maximum in the forward scan order (row 0 then row 1) takes the gradient; the other
        // three get 0. Written branch-free (0/1 masks: which one matches is random), all four every time,
        // so the window needs no zero-fill first (a NaN or infinite gradient stays where it belongs).
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
  }
}

function maxpoolInto(x: TypedArray, g: Pool2dGeometry, out: TypedArray): void {
  const { W, planes, planeSize, oW, oH, bw, bh } = windowsOf(g);
  let o = 0;
  for (let cn = 0; cn < planes; cn++) {
    const plane = cn * planeSize;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = bh[2 * oh]!;
      const h1 = bh[2 * oh + 1]!;
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = bw[2 * ow]!;
        const w1 = bw[2 * ow + 1]!;
        let acc = Number.NEGATIVE_INFINITY;
        for (let h = h0; h < h1; h++) {
          const row = plane + h * W;
          for (let w = w0; w < w1; w++) {
            const v = x[row + w]!;
            if (v > acc || Number.isNaN(v)) acc = v; // NaN propagates, as Math.max would
          }
        }
        out[o] = acc;
      }
    }
  }
}

function meanpoolInto(x: TypedArray, g: Pool2dGeometry, out: TypedArray): void {
  const { W, planes, planeSize, oW, oH, bw, bh } = windowsOf(g);
  const inv = 1 / (g.window[0] * g.window[1]);
  let o = 0;
  for (let cn = 0; cn < planes; cn++) {
    const plane = cn * planeSize;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = bh[2 * oh]!;
      const h1 = bh[2 * oh + 1]!;
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = bw[2 * ow]!;
        const w1 = bw[2 * ow + 1]!;
        let acc = 0;
        for (let h = h0; h < h1; h++) {
          const row = plane + h * W;
          for (let w = w0; w < w1; w++) acc += x[row + w]!;
        }
        out[o] = acc * inv;
      }
    }
  }
}

/** y = pool(x). */
export function pool2dInto(op: PoolOp, x: TypedArray, g: Pool2dGeometry, out: TypedArray): void {
  const [W, H, C, N] = g.inShape;
  if (op === "max" && isPlain2x2(g) && maxpool2x2Simd(x, W, H, C * N, out)) return;
  if (op === "max") (isPlain2x2(g) ? maxpool2x2Into : maxpoolInto)(x, g, out);
  else meanpoolInto(x, g, out);
}

function maxpoolBackwardInto(
  x: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  g: Pool2dGeometry,
  dx: TypedArray,
): void {
  const { W, planes, planeSize, oW, oH, bw, bh } = windowsOf(g);
  let o = 0;
  for (let cn = 0; cn < planes; cn++) {
    const plane = cn * planeSize;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = bh[2 * oh]!;
      const h1 = bh[2 * oh + 1]!;
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = bw[2 * ow]!;
        const w1 = bw[2 * ow + 1]!;
        const m = y[o]!;
        // The first element equal to the window's max takes the whole gradient (row-major scan, as forward).
        search: for (let h = h0; h < h1; h++) {
          const row = plane + h * W;
          for (let w = w0; w < w1; w++) {
            if (x[row + w] === m) {
              dx[row + w]! += dy[o]!;
              break search;
            }
          }
        }
      }
    }
  }
}

function meanpoolBackwardInto(dy: TypedArray, g: Pool2dGeometry, dx: TypedArray): void {
  const { W, planes, planeSize, oW, oH, bw, bh } = windowsOf(g);
  const inv = 1 / (g.window[0] * g.window[1]);
  let o = 0;
  for (let cn = 0; cn < planes; cn++) {
    const plane = cn * planeSize;
    for (let oh = 0; oh < oH; oh++) {
      const h0 = bh[2 * oh]!;
      const h1 = bh[2 * oh + 1]!;
      for (let ow = 0; ow < oW; ow++, o++) {
        const w0 = bw[2 * ow]!;
        const w1 = bw[2 * ow + 1]!;
        const v = dy[o]! * inv;
        for (let h = h0; h < h1; h++) {
          const row = plane + h * W;
          for (let w = w0; w < w1; w++) dx[row + w]! += v;
        }
      }
    }
  }
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
  if (op === "max") (plain ? maxpool2x2BackwardInto : maxpoolBackwardInto)(x, y, dy, g, dx);
  else meanpoolBackwardInto(dy, g, dx);
}
