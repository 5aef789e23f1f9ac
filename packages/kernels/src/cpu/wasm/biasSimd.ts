// `act.(x .+ b)` with b constant along runs of consecutive elements (a convolution's per-channel bias over
// [W, H, C, N]), act relu or the identity, over f32 with wasm SIMD (assembly/bias.ts). Blocks of whole
// runs are copied into the module's memory with one bias per run, transformed there 4 lanes at a time and
// copied out, as affineSimd.ts does for a scalar bias.
import { lazyKernel } from "./lazyKernel.js";
import { biasSimdBytes } from "./wasmBinaries.js";

/** Below this many elements the JS loops are as fast (the copies' fixed costs dominate). */
export const BIAS_SIMD_MIN = 16384;
/** Runs shorter than this stay with the JS loops (the per-run overhead would dominate). */
const MIN_RUN = 8;

interface Kernel {
  x: Float32Array;
  g: Float32Array;
  bias: Float32Array;
  sums: Float64Array;
  biasLines(runs: number, len: number, relu: number): void;
  reluBiasGrad(runs: number, len: number): void;
}

const kernelFor = lazyKernel(biasSimdBytes, (e): Kernel => {
  const cap = e.global("X_CAP");
  return {
    x: e.f32("X", cap),
    g: e.f32("G", cap),
    bias: e.f32("B", cap),
    sums: new Float64Array(e.buffer, e.global("B"), cap / 2),
    biasLines: e.fn("biasLines"),
    reluBiasGrad: e.fn("reluBiasGrad"),
  };
});

/** The kernel, when the work is large, the runs are long enough to fit a block, and the arrays are f32. */
function ready(n: number, len: number, ...arrays: unknown[]): Kernel | null {
  if (n < BIAS_SIMD_MIN || len < MIN_RUN) return null;
  const kernel = kernelFor(...arrays);
  if (kernel === null || len > kernel.x.length) return null;
  return kernel;
}

/**
 * @internal `out[i + len*(c + C*m)] = act(x[i + len*(c + C*m)] + b[c*bStride])` for i < len, c < C, m < M
 * (x and out contiguous, len*C*M elements), act relu or the identity, with wasm SIMD; false (nothing
 * written) when the arrays are not f32, the work is small, a run is short or longer than the kernel's
 * block, or the runtime has no SIMD.
 */
export function biasRunsSimd(
  act: "relu" | "identity",
  x: ArrayLike<number>,
  b: ArrayLike<number>,
  bStride: number,
  len: number,
  C: number,
  M: number,
  out: ArrayLike<number>,
): boolean {
  const k = ready(len * C * M, len, x, b, out);
  if (k === null) return false;
  const [xs, bs, os] = [x as Float32Array, b as Float32Array, out as Float32Array];
  const relu = act === "relu" ? 1 : 0;
  const step = Math.floor(k.x.length / len);
  const runs = C * M;
  for (let r0 = 0; r0 < runs; r0 += step) {
    const count = Math.min(step, runs - r0);
    for (let r = 0, c = r0 % C; r < count; r++, c = c + 1 === C ? 0 : c + 1) k.bias[r] = bs[c * bStride]!;
    k.x.set(xs.subarray(r0 * len, (r0 + count) * len));
    k.biasLines(count, len, relu);
    os.set(k.x.subarray(0, count * len), r0 * len);
  }
  return true;
}

/**
 * @internal The backward pass of `relu.(x .+ b)` over the same layout: `dx = dy .* (y .> 0)` (bit for bit
 * relu's gradient) and, for each c, the f64 sum of dx over i and m added to `acc[c]`. False (nothing
 * written) where `biasRunsSimd` would decline.
 */
export function reluBiasGradSimd(
  y: ArrayLike<number>,
  dy: ArrayLike<number>,
  len: number,
  C: number,
  M: number,
  dx: ArrayLike<number>,
  acc: Float64Array,
): boolean {
  const k = ready(len * C * M, len, y, dy, dx);
  if (k === null) return false;
  const [ys, gs, ds] = [y as Float32Array, dy as Float32Array, dx as Float32Array];
  const step = Math.floor(k.x.length / len);
  const runs = C * M;
  for (let r0 = 0; r0 < runs; r0 += step) {
    const count = Math.min(step, runs - r0);
    const [from, to] = [r0 * len, (r0 + count) * len];
    k.x.set(ys.subarray(from, to));
    k.g.set(gs.subarray(from, to));
    k.reluBiasGrad(count, len);
    ds.set(k.x.subarray(0, count * len), from);
    for (let r = 0, c = r0 % C; r < count; r++, c = c + 1 === C ? 0 : c + 1) acc[c]! += k.sums[r]!;
  }
  return true;
}
