// gelu, gelu's gradient and softmax over f32 with wasm SIMD (assembly/activation.ts). The arrays stay in JS
// memory: each block is copied into the module's scratch halves, computed there four lanes at a time and
// copied out, as elementwiseSimd.ts does. The JS loops call Math.exp once per element, which costs several
// times a multiply-add pass here; the module's vectorised exp is within 2 ulp of f32 exp, so results agree
// with the JS loops to a few ulp rather than bit for bit (the CPU tests check both against f64 references).
import { type ScratchBlocks, streamBlocks } from "./scratchBlocks.js";
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

// undefined: not tried yet; null: no wasm SIMD here (the JS loops serve).
let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  try {
    const module = new WebAssembly.Module(activationSimdBytes() as BufferSource);
    const e = new WebAssembly.Instance(module, {}).exports as Record<string, unknown>;
    const memory = e.memory as WebAssembly.Memory;
    const half = (e.HALF as WebAssembly.Global).value as number;
    return {
      a: new Float32Array(memory.buffer, (e.SCRATCH as WebAssembly.Global).value as number, half),
      b: new Float32Array(memory.buffer, (e.SCRATCH_B as WebAssembly.Global).value as number, half),
      gelu: e.gelu as Kernel["gelu"],
      geluGrad: e.geluGrad as Kernel["geluGrad"],
      softmaxLines: e.softmaxLines as Kernel["softmaxLines"],
    };
  } catch {
    return null; // no WebAssembly SIMD here
  }
}

function ready(n: number, ...arrays: unknown[]): Kernel | null {
  if (n < ACTIVATION_SIMD_MIN) return null;
  for (const x of arrays) if (!(x instanceof Float32Array)) return null;
  if (kernel === undefined) kernel = load();
  return kernel;
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
