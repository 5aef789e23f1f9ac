// A convolution's im2col and col2im in wasm SIMD (assembly/conv.ts), for taps that read input rows at
// stride 1. Unlike the other small kernels, which stream fixed blocks through their memory, this one keeps
// the whole col matrix of a chunk in its memory (grown to fit, up to MAX_BYTES) and lends it to the GEMM as
// a Float32Array view: the col matrix never crosses into JS memory, only the chunk's images do.
import { lazyKernel } from "./lazyKernel.js";
import { convSimdBytes } from "./wasmBinaries.js";

/** Where one tap reads: see `im2colTap` in assembly/conv.ts. */
export interface SimdTap {
  /** Column of the col matrix. */
  q: number;
  /** Input channel. */
  c: number;
  /** Offset of output position 0 in the input plane: W * offH + offW. */
  src: number;
  /** Valid output columns [w0, w1) and rows [h0, h1). */
  w0: number;
  w1: number;
  h0: number;
  h1: number;
}

/** The chunk's shape: images [W, H, C, count] and their oW x oH outputs at row stride `sh`. */
export interface SimdChunk {
  W: number;
  H: number;
  C: number;
  count: number;
  oW: number;
  oH: number;
  sh: number;
}

/** The chunk's images and its col matrix, as views of the kernel's memory (valid until the next `place`). */
export interface ConvPlacement {
  x: Float32Array;
  col: Float32Array;
  /** col[:, t.q] from x (see assembly/conv.ts). */
  im2col(t: SimdTap, chunk: SimdChunk): void;
  /** x += the transpose of im2col, for col[:, t.q]. */
  col2imAdd(t: SimdTap, chunk: SimdChunk): void;
}

type TapFn = (
  x: number,
  col: number,
  q: number,
  c: number,
  src: number,
  count: number,
  ...dims: number[]
) => void;

interface Kernel {
  memory: WebAssembly.Memory;
  im2colTap: TapFn;
  col2imTap: TapFn;
}

/** Page 0 is the module's own (statics); the images start at page 1. */
const BASE = 65536;
const PAGE = 65536;
/** The most the module's memory may hold (its declared maximum, 2048 pages); larger chunks: the JS loops. */
const MAX_BYTES = 2048 * PAGE;

const loader = () =>
  lazyKernel(
    convSimdBytes,
    (e): Kernel => ({ memory: e.memory, im2colTap: e.fn("im2colTap"), col2imTap: e.fn("col2imTap") }),
  );
// Replaced by `releaseConvMemory`: a wasm memory cannot shrink, so releasing it means a new instance.
let kernelFor = loader();

/** @internal Drops the kernel's instance and its memory; the next call instantiates a fresh one. */
export function releaseConvMemory(): void {
  kernelFor = loader();
}

/**
 * @internal Places a chunk of `xLength` image values and a `colLength` col matrix in the kernel's memory,
 * growing it as needed: null when `arrays` are not all f32, this runtime has no wasm SIMD, the two do not
 * fit MAX_BYTES, or the runtime refuses to grow the memory (then the JS loops serve). The memory only
 * grows; a training loop asks for the same sizes every step.
 */
export function placeConvChunk(
  xLength: number,
  colLength: number,
  ...arrays: unknown[]
): ConvPlacement | null {
  const k = kernelFor(...arrays);
  if (k === null) return null;
  const xBytes = Math.ceil((xLength * 4) / 16) * 16;
  const end = BASE + xBytes + colLength * 4;
  if (end > MAX_BYTES) return null;
  const have = k.memory.buffer.byteLength;
  if (end > have) {
    try {
      k.memory.grow(Math.ceil((end - have) / PAGE));
    } catch {
      return null; // the runtime would not give the pages (a browser tab's memory limit): the JS loops serve
    }
  }
  const buffer = k.memory.buffer;
  const colAt = BASE + xBytes;
  const run = (fn: TapFn, t: SimdTap, s: SimdChunk) =>
    fn(BASE, colAt, t.q, t.c, t.src, s.count, s.W, s.H, s.C, s.oW, s.oH, s.sh, t.w0, t.w1, t.h0, t.h1);
  return {
    x: new Float32Array(buffer, BASE, xLength),
    col: new Float32Array(buffer, colAt, colLength),
    im2col: (t, s) => run(k.im2colTap, t, s),
    col2imAdd: (t, s) => run(k.col2imTap, t, s),
  };
}
