// The CPU kernels whose loops avoid Math.tanh (tanh, gelu and gelu's gradient through Math.exp), softmax's
// single-exp form, and gather / scatterAdd's block copies of consecutive indices, checked against direct
// f64 references at the points where such rewrites go wrong: tiny and huge inputs, infinities, NaN, masked
// (-Infinity) softmax entries, repeated and out-of-order indices.
import { describe, expect, it } from "vitest";
import { geluGradRef, geluRef } from "./gelu.testing.js";
import { gatherInto, scatterAddInto } from "./layout.js";
import { softmaxGradInto, softmaxInto } from "./reduce.js";
import { unaryGradInto, unaryInto } from "./unary.js";

/** Inputs from -12 to 12 (both sides of every regime) plus the edge cases. */
function inputs(): Float32Array {
  const xs: number[] = [0, -0, 1e-30, -1e-30, 1e-7, -3e-6, 9.9e-5, -1.01e-4, 0.5, -0.5, 20, -20, 400, -400];
  for (let v = -12; v <= 12; v += 0.0137) xs.push(v);
  return Float32Array.from(xs);
}

/** Within float32 rounding of the f64 reference: a few ulps relative, or tiny absolute near 0. */
function expectClose(got: Float32Array, want: (i: number) => number): void {
  for (let i = 0; i < got.length; i++) {
    const w = Math.fround(want(i));
    const g = got[i]!;
    if (Number.isNaN(w)) {
      expect(g, `index ${i}`).toBeNaN();
      continue;
    }
    // The absolute floor: where the result is tiny next to the terms it comes from (gelu far below 0), the
    // tanh-form reference itself cancels; 1e-7 is below f32 resolution of those O(1) terms.
    const tol = Math.max(4 * 2 ** -24 * Math.abs(w), 1e-7);
    if (Math.abs(g - w) > tol)
      expect.fail(`index ${i}: got ${g}, want ${w} (|diff| ${Math.abs(g - w)} > ${tol})`);
  }
}

describe("tanh and gelu without Math.tanh", () => {
  it("tanh matches Math.tanh to f32 rounding, including tiny, huge and infinite inputs", () => {
    const x = Float32Array.from([...inputs(), Infinity, -Infinity, Number.NaN]);
    const out = new Float32Array(x.length);
    unaryInto("tanh", x, out, 0);
    expectClose(out, (i) => Math.tanh(x[i]!));
    // Relative precision at tiny inputs (where 1 - 2 / (1 + e^2v) alone would cancel to 0).
    expect(out[4]).toBe(Math.fround(1e-7));
    expect(Object.is(out[1], -0)).toBe(true);
  });

  it("gelu matches the tanh form to f32 rounding", () => {
    const x = Float32Array.from([...inputs(), Infinity, Number.NaN]);
    const out = new Float32Array(x.length);
    unaryInto("gelu", x, out, 0);
    expectClose(out, (i) => geluRef(x[i]!));
  });

  it("gelu's gradient matches the tanh form's derivative to f32 rounding", () => {
    const x = Float32Array.from([...inputs(), Number.NaN]);
    const dy = Float32Array.from(x, (_, i) => 1 + (i % 7) / 4);
    const out = new Float32Array(x.length);
    unaryGradInto("gelu", x, new Float32Array(x.length), dy, out, 0);
    expectClose(out, (i) => dy[i]! * geluGradRef(x[i]!));
  });
});

describe("softmax with one exp per element", () => {
  it("matches the two-pass reference along either axis, with masked (-Infinity) entries", () => {
    const shape = [5, 3];
    const x = Float32Array.from([
      1,
      -Infinity,
      3,
      0.5,
      -Infinity,
      2,
      2,
      2,
      2,
      2,
      -Infinity,
      -Infinity,
      -Infinity,
      7,
      1,
    ]);
    for (const axis of [0, 1]) {
      const out = new Float32Array(x.length);
      softmaxInto(x, shape, axis, false, out);
      const [inner, len] = axis === 0 ? [1, 5] : [5, 3];
      const outer = axis === 0 ? 3 : 1;
      const want = new Float64Array(x.length);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          const idx = (l: number) => i + inner * (l + len * o);
          let m = -Infinity;
          for (let l = 0; l < len; l++) m = Math.max(m, x[idx(l)]!);
          let s = 0;
          for (let l = 0; l < len; l++) s += Math.exp(x[idx(l)]! - m);
          for (let l = 0; l < len; l++) want[idx(l)] = Math.exp(x[idx(l)]! - m) / s;
        }
      }
      expectClose(out, (i) => want[i]!);
      // Masked entries are exact zeros.
      for (let i = 0; i < x.length; i++) if (x[i] === -Infinity) expect(out[i]).toBe(0);
    }
  });

  it("a NaN makes its line NaN and leaves the others alone; a fully masked line is NaN-free of -Inf shifts", () => {
    const x = Float32Array.from([1, Number.NaN, 3, -Infinity, -Infinity, -Infinity, 0, 0, 0]);
    const out = new Float32Array(9);
    softmaxInto(x, [3, 3], 0, false, out);
    for (let i = 0; i < 3; i++) expect(out[i]).toBeNaN();
    // All -Inf: exp(-Inf - 0) = 0 over a zero sum, NaN exactly as the two-pass form gives.
    for (let i = 3; i < 6; i++) expect(out[i]).toBeNaN();
    for (let i = 6; i < 9; i++) expect(out[i]).toBeCloseTo(1 / 3, 7);
    const grad = new Float32Array(9);
    softmaxGradInto(out, Float32Array.from([1, 0, 0, 0, 0, 0, 1, 0, 0]), [3, 3], 0, false, grad);
    expect(grad[6]).toBeCloseTo(2 / 9, 7);
  });
});

describe("gather and scatterAdd over runs of consecutive indices", () => {
  // x is [4, 3, 2] (column-major): gather along each axis with indices that mix runs, gaps, repeats and
  // reversals, against an element-by-element reference.
  const shape = [4, 3, 2];
  const x = Float32Array.from({ length: 24 }, (_, i) => i + 1);
  const strides = [1, 4, 12];
  const cases: [number, number[]][] = [
    [0, [1, 2, 3]],
    [0, [0, 1, 3, 2, 2, 0]],
    [1, [0, 1, 2]],
    [1, [2, 1, 1]],
    [2, [1, 0]],
    [2, [0, 1, 1]],
  ];
  it.each(cases)("axis %i, indices %j", (axis, idx) => {
    const indices = Int32Array.from(idx);
    const outShape = shape.map((d, i) => (i === axis ? idx.length : d));
    const n = outShape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n);
    gatherInto(x, shape, axis, indices, out);
    const back = new Float32Array(24);
    const dy = Float32Array.from({ length: n }, (_, i) => (i % 5) + 0.25);
    scatterAddInto(dy, axis, indices, back, shape);
    const want = new Float32Array(n);
    const wantBack = new Float32Array(24);
    for (let c = 0; c < outShape[2]!; c++) {
      for (let b = 0; b < outShape[1]!; b++) {
        for (let a = 0; a < outShape[0]!; a++) {
          const pos = [a, b, c];
          const o = a + outShape[0]! * (b + outShape[1]! * c);
          pos[axis] = indices[pos[axis]!]!;
          const src = pos[0]! * strides[0]! + pos[1]! * strides[1]! + pos[2]! * strides[2]!;
          want[o] = x[src]!;
          wantBack[src]! += dy[o]!;
        }
      }
    }
    expect([...out]).toEqual([...want]);
    expect([...back]).toEqual([...wantBack]);
  });
});
