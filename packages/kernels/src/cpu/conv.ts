// 2-D convolution via im2col + GEMM (Flux layout: x [W,H,Cin,N], w [kW,kH,Cin,Cout], y [oW,oH,Cout,N]).
//
// The im2col matrix of a CHUNK of B images is [R, K]: R = P*B rows (P = oW*oH output positions per image,
// images one after the other) and K = kW*kH*Cin taps; the weight is ALREADY the [K, Cout] matrix in
// column-major order. So one GEMM serves the whole chunk: y = col * w, dw = colᵀ * dy, dcol = dy * wᵀ
// (the transposes are the GEMM's flags, never materialised). One GEMM per chunk instead of one per image
// matters most for the first layer of a CNN (K = 9: a per-image product is too small for any kernel to run
// at speed, and each call pays the dispatch to OpenBLAS or wasm).
//
// The GEMM sees the chunk's outputs as [R, Cout] (rows = positions of every image, columns = channels),
// while Flux stores [P, Cout, B]; the two differ only in the order of P-long blocks, so they are converted
// by block copies (`interleave` / `deinterleave`), which cost one pass over the output (plain loops: the
// blocks are short, and a subarray per block would cost more than its copy).
//
// The col matrix and that [R, Cout] staging buffer are taken from a private pool and given back after each
// call: a training loop asks for the same sizes every step, so no call allocates (or zero-fills) them. A
// chunk's col matrix is capped at `colBudget` elements, so a large evaluation batch runs in several chunks
// instead of asking for one huge buffer.
import type { Conv2dGeometry } from "../backend.js";
import { arrayCtor, type DType, type TypedArray } from "../dtype.js";
import { CpuBufferPool } from "./bufferPool.js";
import { gemmFor } from "./gemm.js";

/**
 * @internal The most elements one chunk's im2col matrix may hold (16 MiB of f32): large enough for a
 * 64-image batch of a LeNet-sized layer in one GEMM, small enough that a 1000-image evaluation batch
 * does not ask for hundreds of megabytes.
 */
export const DEFAULT_COL_BUDGET = 4 * 1024 * 1024;

// Scratch only: every buffer taken in a call is given back before it returns, so the pool holds at most
// the few buffers of the largest recent call (the cap keeps a one-off huge geometry from pinning memory).
const scratch = new CpuBufferPool(128 * 1024 * 1024);

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
  /** Output positions per image. */
  P: number;
  /** Taps: rows of the weight matrix. */
  K: number;
}

function dimsOf(g: Conv2dGeometry): Dims {
  const [W, H, C, N] = g.inShape;
  const [kW, kH, , Cout] = g.weightShape;
  const [oW, oH] = g.outShape;
  return { W, H, C, N, kW, kH, oW, oH, Cout, P: oW * oH, K: kW * kH * C };
}

/** Images per chunk: as many as fit `colBudget`, at least one. */
function chunkSize(d: Dims, colBudget: number): number {
  return Math.max(1, Math.min(d.N, Math.floor(colBudget / Math.max(1, d.P * d.K))));
}

/**
 * For one tap: the input offset of output position 0, and the range [lo, hi) of output indices along one
 * axis whose input index `o*stride + off` falls inside [0, size) (outside it the input is zero padding).
 */
function validRange(off: number, stride: number, outSize: number, size: number): [number, number] {
  const lo = Math.min(outSize, off >= 0 ? 0 : Math.ceil(-off / stride));
  const hi = Math.min(outSize, off > size - 1 ? 0 : Math.floor((size - 1 - off) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * Calls `fn` once per tap q = kw + kW*(kh + kH*c) with the input offsets of that tap. NNlib's conv
 * (flipped = false) is a true convolution: the kernel is flipped, so tap (kw, kh) reads (kW-1-kw, kH-1-kh).
 */
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

/**
 * Fills col[r + R*q] (R = P*count; r = p + P*(n - n0)) for images n0 .. n0+count-1. Per tap and output row
 * the in-range run is a strided read (a contiguous copy at stride 1) and only the padded ends are zeroed.
 */
function im2colChunk(
  x: TypedArray,
  n0: number,
  count: number,
  g: Conv2dGeometry,
  d: Dims,
  col: TypedArray,
): void {
  const [sw, sh] = g.stride;
  const R = d.P * count;
  const { W, H, C, oW, oH } = d;
  forEachTap(g, d, (q, c, offW, offH) => {
    const [w0, w1] = validRange(offW, sw, oW, W);
    const [h0, h1] = validRange(offH, sh, oH, H);
    for (let b = 0; b < count; b++) {
      const plane = W * H * (c + C * (n0 + b));
      const base = R * q + d.P * b;
      if (h0 > 0) col.fill(0, base, base + h0 * oW);
      if (h1 < oH) col.fill(0, base + h1 * oW, base + oH * oW);
      for (let oh = h0; oh < h1; oh++) {
        const row = base + oh * oW;
        const src = plane + W * (oh * sh + offH) + offW;
        if (w0 > 0) col.fill(0, row, row + w0);
        // A loop, not col.set(x.subarray(...)): rows are a few dozen elements, and a subarray per row
        // costs more than the copy (it was a fifth of a LeNet training step).
        if (sw === 1) for (let ow = w0; ow < w1; ow++) col[row + ow] = x[src + ow]!;
        else for (let ow = w0; ow < w1; ow++) col[row + ow] = x[src + ow * sw]!;
        if (w1 < oW) col.fill(0, row + w1, row + oW);
      }
    }
  });
}

/** The transpose of `im2colChunk`: dx[input] += col[r + R*q] over every in-range position. */
function col2imAddChunk(
  col: TypedArray,
  n0: number,
  count: number,
  g: Conv2dGeometry,
  d: Dims,
  dx: TypedArray,
): void {
  const [sw, sh] = g.stride;
  const R = d.P * count;
  const { W, H, C, oW, oH } = d;
  forEachTap(g, d, (q, c, offW, offH) => {
    const [w0, w1] = validRange(offW, sw, oW, W);
    const [h0, h1] = validRange(offH, sh, oH, H);
    for (let b = 0; b < count; b++) {
      const plane = W * H * (c + C * (n0 + b));
      const base = R * q + d.P * b;
      for (let oh = h0; oh < h1; oh++) {
        const row = base + oh * oW;
        const dst = plane + W * (oh * sh + offH) + offW;
        if (sw === 1) for (let ow = w0; ow < w1; ow++) dx[dst + ow]! += col[row + ow]!;
        else for (let ow = w0; ow < w1; ow++) dx[dst + ow * sw]! += col[row + ow]!;
      }
    }
  });
}

/** [R, Cout] (GEMM order) → Flux's [P, Cout, count] for the chunk's images, written into y at image n0. */
function deinterleave(t: TypedArray, n0: number, count: number, d: Dims, y: TypedArray): void {
  const R = d.P * count;
  for (let b = 0; b < count; b++) {
    for (let co = 0; co < d.Cout; co++) {
      const from = d.P * b + R * co;
      const to = d.P * (co + d.Cout * (n0 + b));
      for (let p = 0; p < d.P; p++) y[to + p] = t[from + p]!;
    }
  }
}

/** Flux's [P, Cout, count] from y at image n0 → [R, Cout] (GEMM order). */
function interleave(y: TypedArray, n0: number, count: number, d: Dims, t: TypedArray): void {
  const R = d.P * count;
  for (let b = 0; b < count; b++) {
    for (let co = 0; co < d.Cout; co++) {
      const from = d.P * (co + d.Cout * (n0 + b));
      const to = d.P * b + R * co;
      for (let p = 0; p < d.P; p++) t[to + p] = y[from + p]!;
    }
  }
}

/** Runs `body(n0, count, col, staging)` per chunk with pooled scratch buffers sized for the largest chunk. */
function inChunks(
  d: Dims,
  dtype: DType,
  colBudget: number,
  body: (n0: number, count: number, col: TypedArray, staging: TypedArray) => void,
): void {
  const B = chunkSize(d, colBudget);
  const Ctor = arrayCtor(dtype) as never;
  const col = scratch.take<TypedArray>(Ctor, d.P * B * d.K, false);
  const staging = scratch.take<TypedArray>(Ctor, d.P * B * d.Cout, false);
  try {
    for (let n0 = 0; n0 < d.N; n0 += B) {
      const count = Math.min(B, d.N - n0);
      const R = d.P * count;
      body(n0, count, col.subarray(0, R * d.K), staging.subarray(0, R * d.Cout));
    }
  } finally {
    scratch.give(col);
    scratch.give(staging);
  }
}

/** y = conv(x, w): per chunk, y = col * w. `colBudget` caps a chunk's im2col matrix (elements). */
export function conv2dInto(
  x: TypedArray,
  w: TypedArray,
  g: Conv2dGeometry,
  out: TypedArray,
  dtype: DType,
  colBudget = DEFAULT_COL_BUDGET,
): void {
  const d = dimsOf(g);
  const gemm = gemmFor(dtype);
  if (d.N === 0 || d.P === 0) return;
  inChunks(d, dtype, colBudget, (n0, count, col, staging) => {
    const R = d.P * count;
    im2colChunk(x, n0, count, g, d, col);
    // One image: [R, Cout] already is Flux's order, so the GEMM writes the output in place.
    const target = count === 1 ? out.subarray(n0 * d.P * d.Cout, (n0 + 1) * d.P * d.Cout) : staging;
    gemm(false, false, R, d.Cout, d.K, 1, col, R, w, d.K, 0, target, R);
    if (count > 1) deinterleave(staging, n0, count, d, out);
  });
}

/** dx from dy: per chunk, dcol = dy * wᵀ, then scatter-added back into the image positions. */
export function conv2dBackwardInputInto(
  dy: TypedArray,
  w: TypedArray,
  g: Conv2dGeometry,
  dx: TypedArray,
  dtype: DType,
  colBudget = DEFAULT_COL_BUDGET,
): void {
  const d = dimsOf(g);
  const gemm = gemmFor(dtype);
  dx.fill(0);
  if (d.N === 0 || d.P === 0) return;
  inChunks(d, dtype, colBudget, (n0, count, col, staging) => {
    const R = d.P * count;
    interleave(dy, n0, count, d, staging);
    gemm(false, true, R, d.K, d.Cout, 1, staging, R, w, d.K, 0, col, R);
    col2imAddChunk(col, n0, count, g, d, dx);
  });
}

/** dw from x and dy: dw = Σ over chunks of colᵀ * dy (the first chunk overwrites, the rest accumulate). */
export function conv2dBackwardFilterInto(
  x: TypedArray,
  dy: TypedArray,
  g: Conv2dGeometry,
  dw: TypedArray,
  dtype: DType,
  colBudget = DEFAULT_COL_BUDGET,
): void {
  const d = dimsOf(g);
  const gemm = gemmFor(dtype);
  if (d.N === 0 || d.P === 0) {
    dw.fill(0);
    return;
  }
  inChunks(d, dtype, colBudget, (n0, count, col, staging) => {
    const R = d.P * count;
    im2colChunk(x, n0, count, g, d, col);
    interleave(dy, n0, count, d, staging);
    gemm(true, false, d.K, d.Cout, R, 1, col, R, staging, R, n0 === 0 ? 0 : 1, dw, d.K);
  });
}
