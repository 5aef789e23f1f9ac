// Flux's MaxPool((2, 2)) over f32 with wasm SIMD (assembly/pool.ts), forward and backward. The arrays stay
// in JS memory: blocks of whole planes are copied into the module's memory, pooled there four windows at a
// time and copied out, as affineSimd.ts does. Over a LeNet's first pooling layer ([26, 26, 16, 64]) this
// replaced scalar loops whose per-window choice of the largest value mispredicted on activations of random
// sign. Results equal the scalar kernels' except that a window holding both -0 and +0 as its max may
// give either zero.
import { lazyKernel } from "./lazyKernel.js";
import { poolSimdBytes } from "./wasmBinaries.js";

interface Kernel {
  x: Float32Array;
  y: Float32Array;
  dy: Float32Array;
  forward(planes: number, W: number, H: number): void;
  backward(planes: number, W: number, H: number): void;
}

const kernelFor = lazyKernel(poolSimdBytes, (e): Kernel => {
  const cap = e.global("X_CAP");
  return {
    x: e.f32("X", cap),
    y: e.f32("Y", cap / 4),
    dy: e.f32("DY", cap / 4),
    forward: e.fn("maxpool2x2"),
    backward: e.fn("maxpool2x2Backward"),
  };
});

/** The kernel, when the arrays are f32 and one plane of W×H fits its input block; else null. */
function ready(W: number, H: number, ...arrays: unknown[]): Kernel | null {
  const kernel = kernelFor(...arrays);
  if (kernel === null || W < 2 || H < 2 || W * H > kernel.x.length) return null;
  return kernel;
}

/**
 * Streams blocks of whole planes through the kernel: x (backward: also y and dy) in, the pass, then y
 * (forward) or dx (backward, computed in x's block) out.
 */
function streamPlanes(
  k: Kernel,
  W: number,
  H: number,
  planes: number,
  a: { x: Float32Array; out: Float32Array; backward?: { y: Float32Array; dy: Float32Array } },
): void {
  const inPlane = W * H;
  const outPlane = (W >> 1) * (H >> 1);
  const step = Math.floor(k.x.length / inPlane);
  const { x, out, backward } = a;
  for (let p = 0; p < planes; p += step) {
    const n = Math.min(step, planes - p);
    k.x.set(x.subarray(p * inPlane, (p + n) * inPlane));
    if (backward === undefined) {
      k.forward(n, W, H);
      out.set(k.y.subarray(0, n * outPlane), p * outPlane);
    } else {
      k.y.set(backward.y.subarray(p * outPlane, (p + n) * outPlane));
      k.dy.set(backward.dy.subarray(p * outPlane, (p + n) * outPlane));
      k.backward(n, W, H);
      out.set(k.x.subarray(0, n * inPlane), p * inPlane);
    }
  }
}

/**
 * @internal `out = maxpool(x, 2)` (2×2 windows, stride 2, no padding) over `planes` planes of W×H; false
 * (nothing written) when the arrays are not f32, a plane does not fit the kernel's block, or the runtime
 * has no SIMD.
 */
export function maxpool2x2Simd(
  x: ArrayLike<number>,
  W: number,
  H: number,
  planes: number,
  out: ArrayLike<number>,
): boolean {
  const k = ready(W, H, x, out);
  if (k === null) return false;
  streamPlanes(k, W, H, planes, { x: x as Float32Array, out: out as Float32Array });
  return true;
}

/**
 * @internal dx of `maxpool(x, 2)` from x, its output y and dy: each window's gradient to the first of its
 * values equal to its max (row-major scan), 0 elsewhere (an odd last row or column included). Every
 * element of dx is written. False (nothing written) where `maxpool2x2Simd` would return false.
 */
export function maxpool2x2BackwardSimd(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  dy: ArrayLike<number>,
  W: number,
  H: number,
  planes: number,
  dx: ArrayLike<number>,
): boolean {
  const k = ready(W, H, x, y, dy, dx);
  if (k === null) return false;
  const [xs, ys, gs, ds] = [x as Float32Array, y as Float32Array, dy as Float32Array, dx as Float32Array];
  streamPlanes(k, W, H, planes, { x: xs, out: ds, backward: { y: ys, dy: gs } });
  return true;
}
