// 2-D max/mean pooling over [W, H, C, N] and their backward passes. Mean divides by the full window size
// (padding included), as NNlib's meanpool does; max ignores padding.
import type { Pool2dGeometry } from "../backend.js";
import type { PoolOp } from "../opNames.js";
import type { TypedArray } from "../dtype.js";

function forEachWindow(
  g: Pool2dGeometry,
  fn: (outIndex: number, plane: number, w0: number, w1: number, h0: number, h1: number) => void,
): void {
  const [W, H, C, N] = g.inShape;
  const [oW, oH] = g.outShape;
  const [kw, kh] = g.window;
  const [sw, sh] = g.stride;
  let o = 0;
  for (let cn = 0; cn < C * N; cn++) {
    const plane = cn * W * H;
    for (let oh = 0; oh < oH; oh++) {
      const hs = oh * sh - g.pad[2];
      const h0 = Math.max(hs, 0);
      const h1 = Math.min(hs + kh, H);
      for (let ow = 0; ow < oW; ow++, o++) {
        const ws = ow * sw - g.pad[0];
        fn(o, plane, Math.max(ws, 0), Math.min(ws + kw, W), h0, h1);
      }
    }
  }
}

/** y = pool(x). */
export function pool2dInto(op: PoolOp, x: TypedArray, g: Pool2dGeometry, out: TypedArray): void {
  const W = g.inShape[0];
  const inv = 1 / (g.window[0] * g.window[1]);
  forEachWindow(g, (o, plane, w0, w1, h0, h1) => {
    let acc = op === "max" ? -Infinity : 0;
    for (let h = h0; h < h1; h++) {
      const row = plane + h * W;
      if (op === "max") for (let w = w0; w < w1; w++) acc = Math.max(acc, x[row + w]!);
      else for (let w = w0; w < w1; w++) acc += x[row + w]!;
    }
    out[o] = op === "max" ? acc : acc * inv;
  });
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
  const W = g.inShape[0];
  const inv = 1 / (g.window[0] * g.window[1]);
  dx.fill(0);
  forEachWindow(g, (o, plane, w0, w1, h0, h1) => {
    if (op === "mean") {
      const v = dy[o]! * inv;
      for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) dx[plane + h * W + w]! += v;
      return;
    }
    const m = y[o]!;
    for (let h = h0; h < h1; h++) {
      for (let w = w0; w < w1; w++) {
        const i = plane + h * W + w;
        if (x[i] === m) {
          dx[i]! += dy[o]!;
          return;
        }
      }
    }
  });
}
