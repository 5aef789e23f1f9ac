// The fused `relu.(a .* x .+ b)` / `a .* x .+ b` over f32 with wasm SIMD (assembly/affine.ts). The arrays
// stay in JS memory: each 64 KiB block is copied into the module's scratch page, transformed there 4 lanes at
// a time and copied out. Measured over 1M f32 on the 2-core dev machine (scripts/bench-affine.mjs): ~0.6 ms
// against ~1.3 ms for the best scalar JS loop, the two copies included; below SIMD_MIN_ELEMENTS the copies'
// fixed costs win and the JS loop runs instead.
import { lazyKernel } from "./lazyKernel.js";
import { affineSimdBytes } from "./wasmBinaries.js";

/** Below this many elements the scalar JS loop is as fast (measured crossover is a few thousand). */
export const SIMD_MIN_ELEMENTS = 16384;

interface AffineKernel {
  relu(n: number, a: number, b: number): void;
  affine(n: number, a: number, b: number): void;
  scratch: Float32Array;
}

const kernelFor = lazyKernel(
  affineSimdBytes,
  (e): AffineKernel => ({
    relu: e.fn("relu"),
    affine: e.fn("affine"),
    scratch: e.f32("SCRATCH", e.global("BLOCK")),
  }),
);

/**
 * @internal Writes `relu.(a .* x .+ b)` (act "relu") or `a .* x .+ b` (act "identity") into `out` with wasm
 * SIMD when `x` and `out` are f32 of one length of at least SIMD_MIN_ELEMENTS and the runtime has SIMD;
 * returns false (writing nothing) otherwise. Values are rounded as f32 after the product and after the
 * sum, like the unfused op chain.
 */
export function affineSimd(
  act: "relu" | "identity",
  a: number,
  x: ArrayLike<number>,
  b: number,
  out: ArrayLike<number>,
): boolean {
  const n = out.length;
  if (n < SIMD_MIN_ELEMENTS || x.length !== n) return false;
  const kernel = kernelFor(x, out);
  if (kernel === null) return false;
  const { scratch } = kernel;
  const run = act === "relu" ? kernel.relu : kernel.affine;
  const block = scratch.length;
  for (let s = 0; s < n; s += block) {
    const len = Math.min(block, n - s);
    scratch.set((x as Float32Array).subarray(s, s + len));
    run(len, a, b);
    (out as Float32Array).set(len === block ? scratch : scratch.subarray(0, len), s);
  }
  return true;
}
