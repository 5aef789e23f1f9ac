// gelu, gelu's gradient and softmax over f32 with wasm SIMD (assembly/activation.ts). The arrays stay in JS
// memory: each block is copied into the module's scratch halves, computed there four lanes at a time and
// copied out, as elementwiseSimd.ts does. The JS loops call Math.exp once per element, which costs several
// times a multiply-add pass here; the module's vectorised exp is within 2 ulp of f32 exp, so results agree
// with the JS loops to a few ulp rather than bit for bit (the CPU tests check both against f64 references).
import { type ScratchBlocks, streamBlocks } from "./scratchBlocks.js";
import { lazyKernel } from "./lazyKernel.js";
import { activationSimdBytes } from "./wasmBinaries.js";

/**
 * Below this many elements the JS loops serve. Far lower than the plain element-wise kernels' threshold: an
 * exp per element costs much more than the copies in and out, so the SIMD path wins from small blocks on
 * (the fused bias + gelu runs it on one output column or 4096-element block at a time).
 */
export const ACTIVATION_SIMD_MIN = 64;

interface Kernel extends ScratchBlocks {
  gelu(n: number): void;
  geluGrad(n: number): void;
  softmaxLines(len: number, lines: number): void;
}

const kernelFor = lazyKernel(activationSimdBytes, (e): Kernel => {
  const half = e.global("HALF");
  return {
    a: e.f32("SCRATCH", half),
    b: e.f32("SCRATCH_B", half),
    gelu: e.fn("gelu"),
    geluGrad: e.fn("geluGrad"),
    softmaxLines: e.fn("softmaxLines"),
  };
});

function ready(n: number, ...arrays: unknown[]): Kernel | null {
  return n < ACTIVATION_SIMD_MIN ? null : kernelFor(...arrays);
}

/** @internal `out = gelu.(x)` over f32 with wasm SIMD; false (nothing written) when it cannot. */
export function geluSimd(x: ArrayLike<number>, out: ArrayLike<number>): boolean {
  const n = out.length;
  const k = ready(n, x, out);
  if (k === null || x.length !== n) return false;
  streamBlocks(k, (len) => k.gelu(len), out as Float32Array, x as Float32Array);
  return true;
}

/** @internal `out = dy .* gelu'.(x)` over f32 with wasm SIMD; false (nothing written) when it cannot. */
export function geluGradSimd(x: ArrayLike<number>, dy: ArrayLike<number>, out: ArrayLike<number>): boolean {
  const n = out.length;
  const k = ready(n, x, dy, out);
  if (k === null || x.length !== n || dy.length !== n) return false;
  streamBlocks(k, (len) => k.geluGrad(len), out as Float32Array, x as Float32Array, dy as Float32Array);
  return true;
}

/**
 * @internal Softmax of each consecutive line of `len` elements of f32 `x` into `out` (the lines tile the
 * arrays), with wasm SIMD; false (nothing written) when it cannot: not f32, few elements, or `len` not a
 * multiple of 4 or longer than a block. Masked (-Infinity) entries give exact zeros; a line of -Infinity
 * only gives NaN, as the JS loop does (0 / 0).
 */
export function softmaxLinesSimd(x: ArrayLike<number>, len: number, out: ArrayLike<number>): boolean {
  const n = out.length;
  const k = ready(n, x, out);
  if (k === null || x.length !== n || len % 4 !== 0 || len > k.a.length || n % len !== 0) return false;
  const [xs, os] = [x as Float32Array, out as Float32Array];
  const per = Math.floor(k.a.length / len) * len;
  for (let at = 0; at < n; at += per) {
    const size = Math.min(per, n - at);
    k.a.set(xs.subarray(at, at + size));
    k.softmaxLines(len, size / len);
    os.set(size === k.a.length ? k.a : k.a.subarray(0, size), at);
  }
  return true;
}
