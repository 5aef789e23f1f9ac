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
// chunk's col matrix is capped at `colBudget` elements, small enough to stay in cache (see
// DEFAULT_COL_BUDGET), so a batch runs in several chunks.
//
// In f32, where taps read input rows at stride 1 (any kernel size, padding, dilation and stride along H),
// the col matrix is built and scattered back by wasm SIMD in that kernel's own memory, and the GEMM reads or
// writes it there through a view (`placeConvChunk`): only the chunk's images are copied, and the copy loops
// run at 0.4-0.8 ns a float instead of the JS loops' 1.1-1.6 (rows of a dozen floats).
//
// The weight gradient needs the same col matrix as the forward pass (it depends only on x and the
// geometry). When the whole batch fits one chunk and the JS loops built it, the forward pass keeps it in
// a small cache keyed by x's storage and geometry, and the weight gradient takes it from there instead of
// building it a second time. The CPU backend drops an entry when that storage is disposed (and may be
// reused) or written in place (`forgetConvInput`). Likewise the input gradient keeps dy in GEMM order for
// the weight gradient that the same VJP asks for next.
import type { Conv2dGeometry } from "../backend.js";
import { arrayCtor, type DType, type TypedArray } from "../dtype.js";
import { CpuBufferPool } from "./bufferPool.js";
import { gemmFor } from "./gemm.js";
import {
  type ConvPlacement,
  placeConvChunk,
  releaseConvMemory,
  type SimdChunk,
  type SimdTap,
} from "./wasm/convSimd.js";
import { sgemmReadsInPlace } from "./wasm/index.js";

/**
 * @internal The most elements one chunk's im2col matrix may hold (512 KiB of f32): a chunk's col matrix,
 * images and outputs then stay in a core's L2 cache between the copy, the GEMM and the scatter. Over a
 * LeNet's two layers at batch 64 (all three passes) this measured 8-10% faster than one 16 MiB chunk for
 * the whole batch, and it bounds the scratch memory of any batch size.
 */
const DEFAULT_COL_BUDGET = 128 * 1024;

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

/** One tap: its channel, input offsets and the valid output ranges [w0, w1) and [h0, h1). */
interface Tap {
  c: number;
  offW: number;
  offH: number;
  w0: number;
  w1: number;
  h0: number;
  h1: number;
}

/**
 * Every tap q = kw + kW*(kh + kH*c), at index q. NNlib's conv (flipped = false) is a true convolution: the
 * kernel is flipped, so tap (kw, kh) reads (kW-1-kw, kH-1-kh). Built once per call, so the copy loops below
 * run without a callback or an allocation per tap.
 */
function tapTable(g: Conv2dGeometry, d: Dims): Tap[] {
  const t: Tap[] = new Array(d.K);
  for (let c = 0; c < d.C; c++) {
    for (let kh = 0; kh < d.kH; kh++) {
      for (let kw = 0; kw < d.kW; kw++) {
        const q = kw + d.kW * (kh + d.kH * c);
        const ew = g.flipped ? kw : d.kW - 1 - kw;
        const eh = g.flipped ? kh : d.kH - 1 - kh;
        const offW = ew * g.dilation[0] - g.pad[0];
        const offH = eh * g.dilation[1] - g.pad[2];
        const [w0, w1] = validRange(offW, g.stride[0], d.oW, d.W);
        const [h0, h1] = validRange(offH, g.stride[1], d.oH, d.H);
        t[q] = { c, offW, offH, w0, w1, h0, h1 };
      }
    }
  }
  return t;
}

/**
 * Whether the geometry is the one of `im2colRows3` and `col2imRows3`: a 3-wide kernel at stride 1 without
 * padding along W, so every tap reads whole output rows.
 */
function isRows3(g: Conv2dGeometry, d: Dims, taps: Tap[]): boolean {
  if (d.kW !== 3 || g.stride[0] !== 1 || g.stride[1] !== 1 || g.dilation[0] !== 1) return false;
  return taps.every((t) => t.w0 === 0 && t.w1 === d.oW);
}

/**
 * im2col for the most common geometry, a 3-wide kernel at stride 1 without padding along W (every tap
 * reads whole output rows): the three taps of one kernel row read the same input row at offsets a step
 * apart, so one loop writes all three col rows (a third of the loop overhead, which dominated rows of a
 * dozen elements). Returns false, writing nothing, for any other geometry.
 */
function im2colRows3(
  x: TypedArray,
  n0: number,
  count: number,
  g: Conv2dGeometry,
  d: Dims,
  taps: Tap[],
  col: TypedArray,
): boolean {
  if (!isRows3(g, d, taps)) return false;
  const R = d.P * count;
  const { W, H, C, oW, oH, P } = d;
  for (let q0 = 0; q0 < d.K; q0 += 3) {
    // The kernel row's three taps share c, offH and the h range; they differ in offW only.
    const { c, offW: e0, offH, h0, h1 } = taps[q0]!;
    const e1 = taps[q0 + 1]!.offW;
    const e2 = taps[q0 + 2]!.offW;
    for (let b = 0; b < count; b++) {
      const plane = W * H * (c + C * (n0 + b));
      const base = R * q0 + P * b;
      for (let t = 0; t < 3; t++) {
        const bt = base + t * R;
        if (h0 > 0) col.fill(0, bt, bt + h0 * oW);
        if (h1 < oH) col.fill(0, bt + h1 * oW, bt + oH * oW);
      }
      for (let oh = h0; oh < h1; oh++) {
        const j = base + oh * oW;
        const s = plane + W * (oh + offH);
        const s0 = s + e0 - j;
        const s1 = s + e1 - j;
        const s2 = s + e2 - j;
        const R2 = 2 * R;
        for (let i = j, end = j + oW; i < end; i++) {
          col[i] = x[s0 + i]!;
          col[i + R] = x[s1 + i]!;
          col[i + R2] = x[s2 + i]!;
        }
      }
    }
  }
  return true;
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
  const { W, H, C, oW, oH, P } = d;
  const taps = tapTable(g, d);
  if (im2colRows3(x, n0, count, g, d, taps, col)) return;
  for (let q = 0; q < d.K; q++) {
    const { c, offW, offH, w0, w1, h0, h1 } = taps[q]!;
    const full = w0 === 0 && w1 === oW;
    for (let b = 0; b < count; b++) {
      const plane = W * H * (c + C * (n0 + b));
      const base = R * q + P * b;
      if (h0 > 0) col.fill(0, base, base + h0 * oW);
      if (h1 < oH) col.fill(0, base + h1 * oW, base + oH * oW);
      // A loop, not col.set(x.subarray(...)): rows are a few dozen elements, and a subarray per row
      // costs more than the copy (it was a fifth of a LeNet training step).
      if (sw === 1 && full) {
        // The common case (stride 1, the whole row in range): one index per array, no row bookkeeping.
        for (let oh = h0; oh < h1; oh++) {
          const row = base + oh * oW;
          const src = plane + W * (oh * sh + offH) + offW - row;
          for (let i = row, end = row + oW; i < end; i++) col[i] = x[src + i]!;
        }
        continue;
      }
      for (let oh = h0; oh < h1; oh++) {
        const row = base + oh * oW;
        const src = plane + W * (oh * sh + offH) + offW;
        if (w0 > 0) col.fill(0, row, row + w0);
        if (sw === 1) for (let ow = w0; ow < w1; ow++) col[row + ow] = x[src + ow]!;
        else for (let ow = w0; ow < w1; ow++) col[row + ow] = x[src + ow * sw]!;
        if (w1 < oW) col.fill(0, row + w1, row + oW);
      }
    }
  }
}

/**
 * `col2imAddChunk` for the geometry of `im2colRows3` (a 3-wide kernel at stride 1, every tap reading whole
 * output rows): the three taps of one kernel row add into the same dx row at offsets a step apart, so each
 * dx element inside the row takes their three values in ONE read-modify-write (a third of the loads and
 * stores to dx, and of the loop overhead, on rows of a dozen elements). The three values are summed in f64
 * and rounded once, where the scatter rounds after each. Returns false, writing nothing, otherwise.
 */
function col2imRows3(
  col: TypedArray,
  n0: number,
  count: number,
  g: Conv2dGeometry,
  d: Dims,
  taps: Tap[],
  dx: TypedArray,
): boolean {
  if (!isRows3(g, d, taps)) return false;
  const R = d.P * count;
  const R2 = 2 * R;
  const { W, H, C, oW, P } = d;
  for (let q0 = 0; q0 < d.K; q0 += 3) {
    // The kernel row's three taps share c, offH and the h range; they differ in offW only.
    const { c, offW: e0, offH, h0, h1 } = taps[q0]!;
    const e1 = taps[q0 + 1]!.offW;
    const e2 = taps[q0 + 2]!.offW;
    // Row positions v (relative to the row start) that all three taps reach: v - e in [0, oW) for each e.
    const lo = Math.max(e0, e1, e2);
    const hi = Math.max(lo, Math.min(e0, e1, e2) + oW);
    // The edge loop visits [0, lo) and then [hi, W); with lo = 0 it starts at hi.
    const start = lo === 0 ? hi : 0;
    for (let b = 0; b < count; b++) {
      const plane = W * H * (c + C * (n0 + b));
      const base = R * q0 + P * b;
      for (let oh = h0; oh < h1; oh++) {
        const j = base + oh * oW;
        const s = plane + W * (oh + offH);
        // The row's ends, where fewer than three taps land: tap by tap.
        for (let v = start; v < W; v = v + 1 === lo ? hi : v + 1) {
          const i0 = v - e0;
          const i1 = v - e1;
          const i2 = v - e2;
          if (i0 >= 0 && i0 < oW) dx[s + v]! += col[j + i0]!;
          if (i1 >= 0 && i1 < oW) dx[s + v]! += col[j + R + i1]!;
          if (i2 >= 0 && i2 < oW) dx[s + v]! += col[j + R2 + i2]!;
        }
        const a0 = j - e0 - s;
        const a1 = j + R - e1 - s;
        const a2 = j + R2 - e2 - s;
        for (let u = s + lo, end = s + hi; u < end; u++) dx[u]! += col[a0 + u]! + col[a1 + u]! + col[a2 + u]!;
      }
    }
  }
  return true;
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
  const { W, H, C, oW, P } = d;
  const taps = tapTable(g, d);
  if (col2imRows3(col, n0, count, g, d, taps, dx)) return;
  for (let q = 0; q < d.K; q++) {
    const { c, offW, offH, w0, w1, h0, h1 } = taps[q]!;
    for (let b = 0; b < count; b++) {
      const plane = W * H * (c + C * (n0 + b));
      const base = R * q + P * b;
      for (let oh = h0; oh < h1; oh++) {
        const row = base + oh * oW;
        const dst = plane + W * (oh * sh + offH) + offW;
        if (sw === 1) {
          const shift = dst - row;
          for (let i = row + w0, end = row + w1; i < end; i++) dx[shift + i]! += col[i]!;
        } else for (let ow = w0; ow < w1; ow++) dx[dst + ow * sw]! += col[row + ow]!;
      }
    }
  }
}

/**
 * Blocks at least this long are moved with `set(subarray)` (a memcpy); shorter ones with a loop, since a
 * subarray costs about as much as copying a hundred floats.
 */
const BLOCK_COPY_MIN = 96;

/** Copies `n` elements from src[from] to dst[to]. */
function copyBlock(src: TypedArray, from: number, dst: TypedArray, to: number, n: number): void {
  if (n >= BLOCK_COPY_MIN) dst.set(src.subarray(from, from + n), to);
  else for (let p = 0; p < n; p++) dst[to + p] = src[from + p]!;
}

/** [R, Cout] (GEMM order) → Flux's [P, Cout, count] for the chunk's images, written into y at image n0. */
function deinterleave(t: TypedArray, n0: number, count: number, d: Dims, y: TypedArray): void {
  const R = d.P * count;
  for (let b = 0; b < count; b++) {
    for (let co = 0; co < d.Cout; co++)
      copyBlock(t, d.P * b + R * co, y, d.P * (co + d.Cout * (n0 + b)), d.P);
  }
}

/** Flux's [P, Cout, count] from y at image n0 → [R, Cout] (GEMM order). */
function interleave(y: TypedArray, n0: number, count: number, d: Dims, t: TypedArray): void {
  const R = d.P * count;
  for (let b = 0; b < count; b++) {
    for (let co = 0; co < d.Cout; co++)
      copyBlock(y, d.P * (co + d.Cout * (n0 + b)), t, d.P * b + R * co, d.P);
  }
}

/**
 * Output positions per image from which the backward passes also run one GEMM per image (see `perImage`):
 * measured with OpenBLAS on a LeNet's layers, per-image products won at 676 positions (input gradient 0.35
 * -> 0.16 ms, weight gradient 0.52 -> 0.17) and lost or tied at 121 (0.92-1.0 -> 1.16-1.41, 1.37 -> 1.34-1.39).
 */
const PER_IMAGE_BACKWARD_MIN_POSITIONS = 256;

/**
 * Whether to run one GEMM per image on views of the chunk's col matrix (lda = R) instead of one GEMM over
 * the chunk: each image's product then reads and writes Flux's [P, Cout] block of y or dy in place, with no
 * interleave or deinterleave pass. Only where the GEMM reads strided views in place (a system BLAS: the wasm
 * kernel would copy the col matrix's whole span per image) and only for f32. With OpenBLAS the per-image
 * products were also faster in themselves (their blocks stay in cache): a LeNet's forward passes took 0.33
 * -> 0.16 ms (26x26 outputs) and 1.3 -> 0.85 ms (11x11x32 from 16 channels). Backward passes only from
 * PER_IMAGE_BACKWARD_MIN_POSITIONS positions on.
 */
function perImage(d: Dims, dtype: DType, backward: boolean): boolean {
  if (dtype !== "f32" || (backward && d.P < PER_IMAGE_BACKWARD_MIN_POSITIONS)) return false;
  // Every per-image product (forward, both backward) has P * Cout * K multiply-adds.
  return sgemmReadsInPlace(d.P, d.Cout, d.K);
}

/** A forward pass's col matrix kept for the weight gradient of the same input and geometry. */
interface CachedCol {
  x: TypedArray;
  key: string;
  col: TypedArray;
}

/** Cached col matrices, oldest first; at most COL_CACHE_ENTRIES and COL_CACHE_ELEMENTS in all. */
const colCache: CachedCol[] = [];
const COL_CACHE_ENTRIES = 4;
const COL_CACHE_ELEMENTS = 2 * DEFAULT_COL_BUDGET;

function geometryKey(g: Conv2dGeometry): string {
  return [...g.inShape, ...g.weightShape, ...g.stride, ...g.pad, ...g.dilation, +g.flipped].join(",");
}

function keepCol(x: TypedArray, key: string, col: TypedArray): void {
  forgetConvInput(x);
  colCache.push({ x, key, col });
  let total = 0;
  for (const e of colCache) total += e.col.length;
  while (colCache.length > COL_CACHE_ENTRIES || (total > COL_CACHE_ELEMENTS && colCache.length > 1)) {
    const old = colCache.shift()!;
    total -= old.col.length;
    scratch.give(old.col);
  }
}

/** The cached col matrix of `x` with this geometry, removed from the cache (the caller gives it back). */
function takeCol(x: TypedArray, key: string): TypedArray | undefined {
  const i = colCache.findIndex((e) => e.x === x && e.key === key);
  if (i < 0) return undefined;
  return colCache.splice(i, 1)[0]!.col;
}

/**
 * dy in GEMM order ([R, Cout]), kept by the input gradient for the weight gradient that follows it (the
 * op's VJP asks for both, in that order, with the same dy): one interleave instead of two.
 */
let interleavedDy: CachedCol | null = null;

function takeInterleaved(dy: TypedArray, key: string): TypedArray | undefined {
  const e = interleavedDy;
  if (e === null || e.x !== dy || e.key !== key) return undefined;
  interleavedDy = null;
  return e.col;
}

function keepInterleaved(dy: TypedArray, key: string, t: TypedArray): void {
  if (interleavedDy !== null) scratch.give(interleavedDy.col);
  interleavedDy = { x: dy, key, col: t };
}

/**
 * @internal Drops what is cached for `storage` (a forward pass's col matrix, an interleaved dy): the CPU
 * backend calls it when that storage is disposed (the pool may hand it out again with other values) or
 * overwritten in place.
 */
export function forgetConvInput(storage: TypedArray): void {
  for (let i = colCache.length - 1; i >= 0; i--) {
    if (colCache[i]!.x === storage) scratch.give(colCache.splice(i, 1)[0]!.col);
  }
  if (interleavedDy?.x === storage) {
    scratch.give(interleavedDy.col);
    interleavedDy = null;
  }
}

/**
 * @internal Hands back what conv keeps between calls (`trim()` calls it): the kept col matrices, the pooled
 * scratch buffers, and the SIMD kernel's memory, which only grows while it lives.
 */
export function trimConvScratch(): void {
  for (const e of colCache.splice(0)) scratch.give(e.col);
  if (interleavedDy !== null) scratch.give(interleavedDy.col);
  interleavedDy = null;
  scratch.trim();
  releaseConvMemory();
}

/** Image n's [P, Cout] block of y or dy, where Flux's order keeps it. */
function imageBlock(t: TypedArray, d: Dims, n: number): TypedArray {
  const block = d.P * d.Cout;
  return t.subarray(n * block, (n + 1) * block);
}

/** A chunk's pooled scratch buffers, taken on first use (a chunk whose col matrix the SIMD kernel holds
 * never takes `col`). */
interface ChunkBuffers {
  col(): TypedArray;
  staging(): TypedArray;
}

/** Runs `body(n0, count, buffers)` per chunk with pooled scratch buffers sized for the largest chunk. */
function inChunks(
  d: Dims,
  dtype: DType,
  colBudget: number,
  body: (n0: number, count: number, buffers: ChunkBuffers) => void,
): void {
  const B = chunkSize(d, colBudget);
  const Ctor = arrayCtor(dtype) as never;
  let col: TypedArray | undefined;
  let staging: TypedArray | undefined;
  try {
    for (let n0 = 0; n0 < d.N; n0 += B) {
      const count = Math.min(B, d.N - n0);
      const R = d.P * count;
      body(n0, count, {
        col: () => (col ??= scratch.take<TypedArray>(Ctor, d.P * B * d.K, false)).subarray(0, R * d.K),
        staging: () =>
          (staging ??= scratch.take<TypedArray>(Ctor, d.P * B * d.Cout, false)).subarray(0, R * d.Cout),
      });
    }
  } finally {
    if (col !== undefined) scratch.give(col);
    if (staging !== undefined) scratch.give(staging);
  }
}

/** Whether the SIMD kernel serves this geometry: every tap reads input rows at stride 1. */
function simdGeometry(g: Conv2dGeometry): boolean {
  return g.stride[0] === 1;
}

/** The chunk's images copied into the SIMD kernel's memory, with room for its col matrix; null: JS loops. */
function placeChunk(x: TypedArray, n0: number, count: number, d: Dims): ConvPlacement | null {
  const image = d.W * d.H * d.C;
  const placed = placeConvChunk(image * count, d.P * count * d.K, x);
  if (placed !== null) placed.x.set(x.subarray(image * n0, image * (n0 + count)));
  return placed;
}

/** Calls `each` with every tap in the SIMD kernel's terms, and the chunk's shape. */
function simdTaps(
  g: Conv2dGeometry,
  d: Dims,
  taps: Tap[],
  count: number,
  each: (t: SimdTap, chunk: SimdChunk) => void,
): void {
  const chunk = { W: d.W, H: d.H, C: d.C, count, oW: d.oW, oH: d.oH, sh: g.stride[1] };
  for (let q = 0; q < d.K; q++) {
    const { c, offW, offH, w0, w1, h0, h1 } = taps[q]!;
    each({ q, c, src: d.W * offH + offW, w0, w1, h0, h1 }, chunk);
  }
}

/**
 * The chunk's col matrix, built by the SIMD kernel in its own memory (a view there) where it serves, else
 * by the JS loops in `fallback()`.
 */
function im2colFor(
  x: TypedArray,
  n0: number,
  count: number,
  g: Conv2dGeometry,
  d: Dims,
  taps: Tap[],
  fallback: () => TypedArray,
): TypedArray {
  const placed = simdGeometry(g) ? placeChunk(x, n0, count, d) : null;
  if (placed === null) {
    const col = fallback();
    im2colChunk(x, n0, count, g, d, col);
    return col;
  }
  simdTaps(g, d, taps, count, (t, chunk) => placed.im2col(t, chunk));
  return placed.col;
}

/**
 * Called with each chunk's outputs (its `count` images of y, `[P, Cout, count]`, contiguous) right after
 * the chunk's GEMM wrote them, while they are in cache: a fused bias and activation.
 */
export type ChunkEpilogue = (y: TypedArray, count: number) => void;

/**
 * y = conv(x, w): per chunk, y = col * w, then `epilogue` on the chunk's outputs. `colBudget` caps a
 * chunk's im2col matrix (elements).
 */
export function conv2dInto(
  x: TypedArray,
  w: TypedArray,
  g: Conv2dGeometry,
  out: TypedArray,
  dtype: DType,
  colBudget = DEFAULT_COL_BUDGET,
  epilogue?: ChunkEpilogue,
): void {
  const d = dimsOf(g);
  const gemm = gemmFor(dtype);
  if (d.N === 0 || d.P === 0) return;
  const whole = chunkSize(d, colBudget) >= d.N;
  const byImage = perImage(d, dtype, false);
  const taps = tapTable(g, d);
  inChunks(d, dtype, colBudget, (n0, count, buffers) => {
    const R = d.P * count;
    // The whole batch in one chunk, built by the JS loops: in a buffer of its own, kept for the weight
    // gradient (the SIMD kernel's col matrix lives in its memory until the next call, and rebuilding it
    // there costs about what a copy out would).
    let kept: TypedArray | undefined;
    const c = im2colFor(x, n0, count, g, d, taps, () => {
      if (!whole) return buffers.col();
      kept = scratch.take<TypedArray>(arrayCtor(dtype) as never, R * d.K, false);
      return kept;
    });
    if (byImage) {
      for (let b = 0; b < count; b++) {
        const y = imageBlock(out, d, n0 + b);
        gemm(false, false, d.P, d.Cout, d.K, 1, c.subarray(d.P * b), R, w, d.K, 0, y, d.P);
      }
    } else {
      // One image: [R, Cout] already is Flux's order, so the GEMM writes the output in place.
      const target = count === 1 ? imageBlock(out, d, n0) : buffers.staging();
      gemm(false, false, R, d.Cout, d.K, 1, c, R, w, d.K, 0, target, R);
      if (count > 1) deinterleave(target, n0, count, d, out);
    }
    if (kept !== undefined) keepCol(x, geometryKey(g), kept);
    if (epilogue !== undefined) {
      const block = d.P * d.Cout;
      epilogue(out.subarray(block * n0, block * (n0 + count)), count);
    }
  });
}

/**
 * dx from dy: per chunk, dcol = dy * wᵀ, then scatter-added back into the image positions (by the SIMD
 * kernel in its memory where it serves: the GEMM writes dcol there, the chunk's dx is summed there and
 * copied out).
 */
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
  const byImage = perImage(d, dtype, true);
  const whole = chunkSize(d, colBudget) >= d.N && !byImage;
  const taps = tapTable(g, d);
  const image = d.W * d.H * d.C;
  inChunks(d, dtype, colBudget, (n0, count, buffers) => {
    const R = d.P * count;
    const placed = simdGeometry(g) ? placeConvChunk(image * count, R * d.K, dy, w, dx) : null;
    const col = placed?.col ?? buffers.col();
    if (byImage) {
      // dcol's rows of image b from dy's [P, Cout] block where it lies.
      for (let b = 0; b < count; b++) {
        const gb = imageBlock(dy, d, n0 + b);
        gemm(false, true, d.P, d.K, d.Cout, 1, gb, d.P, w, d.K, 0, col.subarray(d.P * b), R);
      }
    } else {
      // The whole batch in one chunk: interleave into a buffer of its own and keep it for the weight gradient.
      const t = whole
        ? scratch.take<TypedArray>(arrayCtor(dtype) as never, R * d.Cout, false)
        : buffers.staging();
      interleave(dy, n0, count, d, t);
      gemm(false, true, R, d.K, d.Cout, 1, t, R, w, d.K, 0, col, R);
      if (whole) keepInterleaved(dy, geometryKey(g), t);
    }
    if (placed === null) {
      col2imAddChunk(col, n0, count, g, d, dx);
      return;
    }
    placed.x.fill(0);
    simdTaps(g, d, taps, count, (t, chunk) => placed.col2imAdd(t, chunk));
    dx.set(placed.x, image * n0);
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
  const whole = chunkSize(d, colBudget) >= d.N;
  const key = geometryKey(g);
  const cached = whole ? takeCol(x, key) : undefined;
  const dyT = whole ? takeInterleaved(dy, key) : undefined;
  const byImage = perImage(d, dtype, true);
  const taps = tapTable(g, d);
  inChunks(d, dtype, colBudget, (n0, count, buffers) => {
    const R = d.P * count;
    const c = cached ?? im2colFor(x, n0, count, g, d, taps, buffers.col);
    if (byImage) {
      // dw = Σ_b col_bᵀ dy_b, each image's dy read where it lies; the first product overwrites.
      for (let b = 0; b < count; b++) {
        const gb = imageBlock(dy, d, n0 + b);
        gemm(
          true,
          false,
          d.K,
          d.Cout,
          d.P,
          1,
          c.subarray(d.P * b),
          R,
          gb,
          d.P,
          n0 + b === 0 ? 0 : 1,
          dw,
          d.K,
        );
      }
      return;
    }
    let t = dyT;
    if (t === undefined) {
      t = buffers.staging();
      interleave(dy, n0, count, d, t);
    }
    gemm(true, false, d.K, d.Cout, R, 1, c, R, t, R, n0 === 0 ? 0 : 1, dw, d.K);
  });
  if (cached !== undefined) scratch.give(cached);
  if (dyT !== undefined) scratch.give(dyT);
}
