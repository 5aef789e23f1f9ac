// The backward pass of a layer's `relu.(x .+ b)`: dx = dy .* (y .> 0) and b's cotangent, dx summed over
// the dims b was broadcast along. For a convolution's channel bias (runs of W*H elements sharing one bias
// value) both come from one wasm SIMD pass; separately they were relu's gradient (a pass writing dx) and a
// reduction (a second pass reading it back), and over a LeNet's first conv layer ([26, 26, 16, 64]) the
// second pass was as long as the first. Other layouts (a dense layer's bias along dim 1) keep the two
// passes: a scalar JS loop fusing them measured slower than the SIMD gradient plus the reduction.
import type { TypedArray } from "../dtype.js";
import { broadcastStrides, type Shape } from "../shape.js";
import { coalesce } from "./lines.js";
import { reduceInto } from "./reduce.js";
import { unaryGradInto } from "./unary.js";
import { reluBiasGradSimd } from "./wasm/biasSimd.js";

/**
 * Writes dx (y's shape) and db (`biasShape`, which broadcasts to y's shape; summed in f64 and rounded once,
 * as `reduce` does). dx is exactly relu's `unaryGrad`: dy * (y > 0 ? 1 : 0), so NaN in dy stays NaN and a
 * negative dy times 0 is -0.
 */
export function reluBiasGradInto(
  y: TypedArray,
  dy: TypedArray,
  shape: Shape,
  biasShape: Shape,
  dx: TypedArray,
  db: TypedArray,
): void {
  const sb = broadcastStrides(biasShape, shape);
  // [len, C] or [len, C, M] with b constant along len, stepping by 1 along C, constant along M.
  const merged = coalesce(shape, [sb]);
  const s = merged.strides[0]!;
  const m = merged.shape;
  if (m.length >= 2 && m.length <= 3 && s[0] === 0 && s[1] === 1 && (s[2] ?? 0) === 0) {
    const acc = new Float64Array(db.length);
    if (reluBiasGradSimd(y, dy, m[0]!, m[1]!, m[2] ?? 1, dx, acc)) {
      for (let i = 0; i < db.length; i++) db[i] = acc[i]!;
      return;
    }
  }
  unaryGradInto("relu", y, y, dy, dx, 0);
  // Sum over the dims where b has size 1 and y does not (b's shape padded with 1s to y's rank).
  const axes: number[] = [];
  for (let d = 0; d < shape.length; d++) if ((biasShape[d] ?? 1) === 1 && shape[d] !== 1) axes.push(d);
  if (axes.length === 0) db.set(dx);
  else reduceInto("sum", dx, shape, axes, db);
}
