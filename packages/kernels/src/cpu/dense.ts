// The CPU dense layer `act.(W * x .+ b)`: one GEMM whose copy out of the WebAssembly memory also adds the
// bias and applies the activation (f32), or a GEMM followed by the fused affine pass in place (f64).
import type { TypedArray } from "../dtype.js";
import type { Shape } from "../shape.js";
import { affineActInto, type FusedAct } from "./affine.js";
import { matmulInto } from "./matmul.js";
import { unaryInto } from "./unary.js";
import { type SgemmEpilogue, sgemm, sgemmReadsInPlace } from "./wasm/index.js";

const NO_TRANSPOSE = { transA: false, transB: false };
const ONE = { f32: Float32Array.of(1), f64: Float64Array.of(1) };
const ZERO = { f32: Float32Array.of(0), f64: Float64Array.of(0) };

/**
 * The epilogue of a dense layer with `rows` outputs: `dst = act.(src .+ bias)` column by column (bias
 * indexed by row; null for none). relu and the identity are one loop; other activations run in place on
 * each written column, still in cache.
 */
function denseEpilogue(act: FusedAct, param: number, bias: Float32Array | null, rows: number): SgemmEpilogue {
  return (src, srcAt, dst, length) => {
    for (let j = 0; j < length; j += rows) {
      const s0 = srcAt + j;
      if (act === "relu") {
        if (bias === null)
          for (let i = 0; i < rows; i++) {
            const v = src[s0 + i]!;
            dst[j + i] = v === Number.NEGATIVE_INFINITY ? 0 : 0.5 * (v + Math.abs(v));
          }
        else
          for (let i = 0; i < rows; i++) {
            const v = src[s0 + i]! + bias[i]!;
            dst[j + i] = v === Number.NEGATIVE_INFINITY ? 0 : 0.5 * (v + Math.abs(v));
          }
        continue;
      }
      if (bias === null) dst.set(src.subarray(s0, s0 + rows), j);
      else for (let i = 0; i < rows; i++) dst[j + i] = src[s0 + i]! + bias[i]!;
      if (act !== "identity") {
        const column = dst.subarray(j, j + rows);
        unaryInto(act, column, column, param);
      }
    }
  };
}

/** Writes `bias` (`rows` long) into each of the `n` columns of `out`, doubling the copied span each time. */
function fillColumns(out: Float32Array, bias: Float32Array, rows: number, n: number): void {
  out.set(bias.subarray(0, rows), 0);
  for (let filled = rows, total = rows * n; filled < total; filled *= 2)
    out.copyWithin(filled, 0, Math.min(filled, total - filled));
}

/** Writes `act.(w * x .+ b)` into `out` (`[rows, n]`); `w` is `[rows, k]`, `x` `[k, n]`, `b` `rows` long. */
export function denseInto(
  act: FusedAct,
  param: number,
  w: TypedArray,
  wShape: Shape,
  x: TypedArray,
  xShape: Shape,
  b: TypedArray | null,
  out: TypedArray,
  outShape: Shape,
): void {
  const [rows, k] = [wShape[0]!, wShape[1]!];
  const n = xShape[1]!;
  if (out instanceof Float32Array && rows * n > 0) {
    // Bias only (a training step's dense: its activation is a separate op): C starts as the bias in every
    // column (memcpy-speed doubling copies) and the GEMM accumulates onto it (beta = 1). A system BLAS then
    // writes the result in place, with no second pass over C to add the bias. Otherwise the GEMM's
    // epilogue adds the bias and applies the activation.
    // With a system BLAS, which writes C in place, the activation is one more pass over C afterwards, by the
    // element-wise kernels (wasm SIMD for relu and gelu): an epilogue closure over BLAS's output ran at about
    // 4 ns an element there (140 us of a 750 us MLP layer), the SIMD pass at a fraction of that.
    const inPlace = sgemmReadsInPlace(rows, n, k);
    const biasFirst = b !== null && (act === "identity" || inPlace);
    if (biasFirst) fillColumns(out, b as Float32Array, rows, n);
    const epilogue =
      biasFirst || inPlace ? undefined : denseEpilogue(act, param, b as Float32Array | null, rows);
    const [ws, xs] = [w as Float32Array, x as Float32Array];
    sgemm(false, false, rows, n, k, 1, ws, rows, xs, Math.max(k, 1), biasFirst ? 1 : 0, out, rows, epilogue);
    if (inPlace && act !== "identity") unaryInto(act, out, out, param);
    return;
  }
  matmulInto(w, wShape, x, xShape, NO_TRANSPOSE, out, outShape, out instanceof Float32Array ? "f32" : "f64");
  if (b === null && act === "identity") return;
  // f64 (and empty products): out = act.(1 .* out .+ b) in place, while the product is still in cache.
  const [one, zero] = out instanceof Float32Array ? [ONE.f32, ZERO.f32] : [ONE.f64, ZERO.f64];
  const [bias, biasShape] = b === null ? [zero, []] : [b, [rows, 1]];
  affineActInto(act, param, one, [], out, outShape, bias, biasShape, out, outShape);
}
