// 2-D convolution via im2col + GEMM (Flux layout: x [W,H,Cin,N], w [kW,kH,Cin,Cout], y [oW,oH,Cout,N]).
// Per image, the im2col matrix is [P, K] with P = oW*oH output positions and K = kW*kH*Cin taps, and the
// weight is ALREADY the [K, Cout] matrix in column-major order, so y_n = col * w is one GEMM.
import type { Conv2dGeometry } from "../backend.js";
import { arrayCtor, type DType, type TypedArray } from "../dtype.js";
import { gemmFor } from "./gemm.js";

interface Dims {
  W: number;
  H: number;
  C: number;
  N: number;
  kW: number;
  kH: number;
  oW: number;
  oH: number;
  Cout: number;
  P: number;
  K: number;
}

function dimsOf(g: Conv2dGeometry): Dims {
  const [W, H, C, N] = g.inShape;
  const [kW, kH, , Cout] = g.weightShape;
  const [oW, oH] = g.outShape;
  return { W, H, C, N, kW, kH, oW, oH, Cout, P: oW * oH, K: kW * kH * C };
}

/** For the tap (kw, kh), the input offsets: NNlib's conv (flipped=false) flips the kernel. */
function forEachTap(
  g: Conv2dGeometry,
  d: Dims,
  fn: (q: number, c: number, offW: number, offH: number) => void,
): void {
  for (let c = 0; c < d.C; c++) {
    for (let kh = 0; kh < d.kH; kh++) {
      for (let kw = 0; kw < d.kW; kw++) {
        const ew = g.flipped ? kw : d.kW - 1 - kw;
        const eh = g.flipped ? kh : d.kH - 1 - kh;
        fn(kw + d.kW * (kh + d.kH * c), c, ew * g.dilation[0] - g.pad[0], eh * g.dilation[1] - g.pad[2]);
      }
    }
  }
}

function im2col(x: TypedArray, n: number, g: Conv2dGeometry, d: Dims, col: TypedArray): void {
  const [sw, sh] = g.stride;
  forEachTap(g, d, (q, c, offW, offH) => {
    const plane = d.W * d.H * (c + d.C * n);
    let p = q * d.P;
    for (let oh = 0; oh < d.oH; oh++) {
      const ih = oh * sh + offH;
      const rowOk = ih >= 0 && ih < d.H;
      for (let ow = 0; ow < d.oW; ow++, p++) {
        const iw = ow * sw + offW;
        col[p] = rowOk && iw >= 0 && iw < d.W ? x[plane + iw + d.W * ih]! : 0;
      }
    }
  });
}

function col2imAdd(col: TypedArray, n: number, g: Conv2dGeometry, d: Dims, dx: TypedArray): void {
  const [sw, sh] = g.stride;
  forEachTap(g, d, (q, c, offW, offH) => {
    const plane = d.W * d.H * (c + d.C * n);
    let p = q * d.P;
    for (let oh = 0; oh < d.oH; oh++) {
      const ih = oh * sh + offH;
      const rowOk = ih >= 0 && ih < d.H;
      for (let ow = 0; ow < d.oW; ow++, p++) {
        const iw = ow * sw + offW;
        if (rowOk && iw >= 0 && iw < d.W) dx[plane + iw + d.W * ih]! += col[p]!;
      }
    }
  });
}

/** y = conv(x, w). */
export function conv2dInto(
  x: TypedArray,
  w: TypedArray,
  g: Conv2dGeometry,
  out: TypedArray,
  dtype: DType,
): void {
  const d = dimsOf(g);
  const gemm = gemmFor(dtype);
  const col = new (arrayCtor(dtype))(d.P * d.K);
  for (let n = 0; n < d.N; n++) {
    im2col(x, n, g, d, col);
    const yn = out.subarray(n * d.P * d.Cout, (n + 1) * d.P * d.Cout);
    gemm(false, false, d.P, d.Cout, d.K, 1, col, d.P, w, d.K, 0, yn, d.P);
  }
}

/** dx from dy: dcol = dy_n * wᵀ, then scatter-added back into image positions. */
export function conv2dBackwardInputInto(
  dy: TypedArray,
  w: TypedArray,
  g: Conv2dGeometry,
  dx: TypedArray,
  dtype: DType,
): void {
  const d = dimsOf(g);
  const gemm = gemmFor(dtype);
  const col = new (arrayCtor(dtype))(d.P * d.K);
  dx.fill(0);
  for (let n = 0; n < d.N; n++) {
    const dyn = dy.subarray(n * d.P * d.Cout, (n + 1) * d.P * d.Cout);
    gemm(false, true, d.P, d.K, d.Cout, 1, dyn, d.P, w, d.K, 0, col, d.P);
    col2imAdd(col, n, g, d, dx);
  }
}

/** dw from x and dy: dw += colᵀ * dy_n over the batch. */
export function conv2dBackwardFilterInto(
  x: TypedArray,
  dy: TypedArray,
  g: Conv2dGeometry,
  dw: TypedArray,
  dtype: DType,
): void {
  const d = dimsOf(g);
  const gemm = gemmFor(dtype);
  const col = new (arrayCtor(dtype))(d.P * d.K);
  dw.fill(0);
  for (let n = 0; n < d.N; n++) {
    im2col(x, n, g, d, col);
    const dyn = dy.subarray(n * d.P * d.Cout, (n + 1) * d.P * d.Cout);
    gemm(true, false, d.K, d.Cout, d.P, 1, col, d.P, dyn, d.P, 1, dw, d.K);
  }
}
