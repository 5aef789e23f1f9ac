// Same-shape and scalar f32 binary ops (add, sub, mul, div), relu and relu's gradient with wasm SIMD
// (assembly/affine.ts). The arrays stay in JS memory: each 32 KiB block of the operands is copied into the
// module's two scratch blocks, combined there 4 lanes at a time and copied out, as affineSimd.ts does. The
// scalar JS loops convert every f32 to f64 and back and run at 5-6 GB/s here (200k f32, L2-resident); the
// copies run at memcpy speed, so the block loop wins above a few thousand elements. Results are
// bit-identical: f32 arithmetic on f32 operands rounds like the JS loops' f64 arithmetic rounded to f32.
import { type ScratchBlocks, streamBlocks } from "./scratchBlocks.js";
import type { BinaryOp } from "../../opNames.js";
import { lazyKernel } from "./lazyKernel.js";
import { affineSimdBytes } from "./wasmBinaries.js";

/** Below this many elements the JS loops are as fast (the copies' fixed costs dominate). */
export const ELEMENTWISE_SIMD_MIN = 16384;

interface Kernel extends ScratchBlocks {
  add2(n: number): void;
  sub2(n: number): void;
  mul2(n: number): void;
  div2(n: number): void;
  scalar(n: number, op: number, s: number): void;
  relu1(n: number): void;
  reluGrad(n: number): void;
}

const SCALAR_OP: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };

const kernelFor = lazyKernel(affineSimdBytes, (e): Kernel => {
  const half = e.global("HALF");
  return {
    a: e.f32("SCRATCH", half),
    b: e.f32("SCRATCH_B", half),
    add2: e.fn("add2"),
    sub2: e.fn("sub2"),
    mul2: e.fn("mul2"),
    div2: e.fn("div2"),
    scalar: e.fn("scalar"),
    relu1: e.fn("relu1"),
    reluGrad: e.fn("reluGrad"),
  };
});

function ready(n: number, ...arrays: unknown[]): Kernel | null {
  return n < ELEMENTWISE_SIMD_MIN ? null : kernelFor(...arrays);
}

/**
 * @internal `out[io..io+n) = x op y` over f32 (op add, sub, mul, div), x from xi and y from yi (y a scalar
 * when `yScalar`), with wasm SIMD; false (nothing written) when the arrays are not f32, n is small, or the
 * runtime has no SIMD.
 */
export function binarySimd(
  op: BinaryOp,
  x: ArrayLike<number>,
  xi: number,
  y: ArrayLike<number>,
  yi: number,
  yScalar: boolean,
  out: ArrayLike<number>,
  io: number,
  n: number,
): boolean {
  const code = SCALAR_OP[op];
  if (code === undefined) return false;
  const k = ready(n, x, y, out);
  if (k === null) return false;
  const [xs, ys, os] = [x as Float32Array, y as Float32Array, out as Float32Array];
  const block = k.a.length;
  const s = yScalar ? ys[yi]! : 0;
  const run = code === 0 ? k.add2 : code === 1 ? k.sub2 : code === 2 ? k.mul2 : k.div2;
  for (let at = 0; at < n; at += block) {
    const len = Math.min(block, n - at);
    k.a.set(xs.subarray(xi + at, xi + at + len));
    if (yScalar) k.scalar(len, code, s);
    else {
      k.b.set(ys.subarray(yi + at, yi + at + len));
      run(len);
    }
    os.set(len === block ? k.a : k.a.subarray(0, len), io + at);
  }
  return true;
}

/** @internal `out = relu.(x)` over f32 with wasm SIMD; false when it cannot (see `binarySimd`). */
export function reluSimd(x: ArrayLike<number>, out: ArrayLike<number>): boolean {
  const n = out.length;
  const k = ready(n, x, out);
  if (k === null || x.length !== n) return false;
  streamBlocks(k, (len) => k.relu1(len), out as Float32Array, x as Float32Array);
  return true;
}

/** @internal `out = dy .* (x .> 0)` over f32 with wasm SIMD; false when it cannot (see `binarySimd`). */
export function reluGradSimd(x: ArrayLike<number>, dy: ArrayLike<number>, out: ArrayLike<number>): boolean {
  const n = out.length;
  const k = ready(n, x, dy, out);
  if (k === null || x.length !== n || dy.length !== n) return false;
  streamBlocks(k, (len) => k.reluGrad(len), out as Float32Array, x as Float32Array, dy as Float32Array);
  return true;
}
