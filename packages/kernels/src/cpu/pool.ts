// 2-D max/mean pooling over [W, H, C, N] and their backward passes. Mean divides by the full window size
// (padding included), as NNlib's meanpool does; max ignores padding.
//
// Plain nested loops, one function per op and direction: these run over every activation of a CNN each
// step, and a callback per window (or an op test per element) costs several times the arithmetic.
import type { Pool2dGeometry } from "../backend.js";
import type { TypedArray } from "../dtype.js";
import type { PoolOp } from "../opNames.js";

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
  if (op === "max") maxpoolInto(x, g, out);
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
  dx.fill(0);
  if (op === "max") maxpoolBackwardInto(x, y, dy, g, dx);
  else meanpoolBackwardInto(dy, g, dx);
}
