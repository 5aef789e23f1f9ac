// The backward pass of a layer's `relu.(x .+ b)` in one pass: dx = dy .* (y .> 0) and b's cotangent, dx
// summed over the dims b was broadcast along. Separately those were relu's gradient (a pass writing dx)
// and a reduction (a second pass reading it back); over a LeNet's first conv layer ([26, 26, 16, 64]) the
// second pass was as long as the first.
import type { TypedArray } from "../dtype.js";
import { broadcastStrides, type Shape, sizeOf } from "../shape.js";
import { coalesce, forEachLine } from "./lines.js";
import { reluBiasGradSimd } from "./wasm/biasSimd.js";

/**
 * Writes dx (y's shape) and db (`biasShape`, which broadcasts to y's shape; summed in f64 and rounded once,
 * as `reduce` does). dx = dy * step with step 0 or 1: NaN in dy stays NaN, a negative dy times 0 is -0,
 * exactly relu's `unaryGrad`.
 */
export function reluBiasGradInto(
  y: TypedArray,
  dy: TypedArray,
  shape: Shape,
  biasShape: Shape,
  dx: TypedArray,
  db: TypedArray,
): void {
  const acc = new Float64Array(sizeOf(biasShape));
  const sb = broadcastStrides(biasShape, shape);
  // A conv layer's channel bias: runs of W*H elements sharing one bias value, in wasm SIMD.
  const merged = coalesce(shape, [sb]);
  const s = merged.strides[0]!;
  const channel = merged.shape.length >= 2 && merged.shape.length <= 3 && s[0] === 0 && (s[2] ?? 0) === 0;
  if (channel && s[1] === 1) {
    const [len, C, M] = [merged.shape[0]!, merged.shape[1]!, merged.shape[2] ?? 1];
    if (reluBiasGradSimd(y, dy, len, C, M, dx, acc)) {
      for (let i = 0; i < db.length; i++) db[i] = acc[i]!;
      return;
    }
  }
  const unit = new Array<number>(shape.length).fill(0);
  for (let d = 0, s = 1; d < shape.length; s *= shape[d]!, d++) unit[d] = s;
  // Lines along dim 0 after merging: where b is constant along the line (stride 0) one accumulator takes
  // the whole line; where it steps along it (a bias over the first dim), each element adds to its own.
  forEachLine(shape, [unit, sb], (off, start, n) => {
    const ib = off[1]!;
    const end = start + n;
    if ((sb[0] ?? 0) === 0 || n === 1) {
      let s0 = 0;
      let s1 = 0;
      let i = start;
      for (; i + 1 < end; i += 2) {
        const g0 = dy[i]! * +(y[i]! > 0);
        const g1 = dy[i + 1]! * +(y[i + 1]! > 0);
        dx[i] = g0;
        dx[i + 1] = g1;
        s0 += g0;
        s1 += g1;
      }
      if (i < end) {
        const g0 = dy[i]! * +(y[i]! > 0);
        dx[i] = g0;
        s0 += g0;
      }
      acc[ib]! += s0 + s1;
      return;
    }
    for (let i = start, j = ib; i < end; i++, j++) {
      const g = dy[i]! * +(y[i]! > 0);
      dx[i] = g;
      acc[j]! += g;
    }
  });
  for (let i = 0; i < db.length; i++) db[i] = acc[i]!;
}
