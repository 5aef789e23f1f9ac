import { describe, expect, it } from "vitest";
import { ELEMENTWISE_SIMD_MIN, binarySimd, reluGradSimd, reluSimd } from "./elementwiseSimd.js";

// f32 values with every awkward case a few times over: signed zeros, infinities, NaN, denormals, ties.
function awkward(n: number, seed: number): Float32Array {
  const special = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -1e-45, 3.4e38, -3.4e38, 1, -1];
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    v[i] = i % 17 === 0 ? special[(i / 17 + seed) % special.length]! : (r - Math.floor(r) - 0.5) * 8;
  }
  return v;
}

const JS: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
};

const sameBits = (got: Float32Array, want: Float32Array) => {
  const bad: number[] = [];
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) bad.push(i);
  expect(bad.slice(0, 5)).toEqual([]);
};

describe("elementwiseSimd (bit-identical to the JS loops)", () => {
  // Not a multiple of the block or of 4 lanes, with offsets into the arrays.
  const n = 3 * 8192 + 13;

  for (const op of ["add", "sub", "mul", "div"] as const) {
    it(`${op}: same shape and scalar, with offsets`, () => {
      const x = awkward(n + 5, 1);
      const y = awkward(n + 3, 2);
      const want = new Float32Array(n + 7);
      const got = new Float32Array(n + 7);
      for (let i = 0; i < n; i++) want[i + 7] = JS[op]!(x[i + 5]!, y[i + 3]!);
      expect(binarySimd(op, x, 5, y, 3, false, got, 7, n)).toBe(true);
      sameBits(got, want);
      for (let i = 0; i < n; i++) want[i + 7] = JS[op]!(x[i + 5]!, y[4]!);
      expect(binarySimd(op, x, 5, y, 4, true, got, 7, n)).toBe(true);
      sameBits(got, want);
    });
  }

  it("relu and its gradient, also in place", () => {
    const x = awkward(n, 3);
    const dy = awkward(n, 4);
    // NNlib's relu: max(v, 0), so NaN stays NaN, -0 becomes +0 and -Infinity becomes 0
    const want = x.map((v) => (v === Number.NEGATIVE_INFINITY ? 0 : 0.5 * (v + Math.abs(v))));
    expect(x.includes(Number.NEGATIVE_INFINITY)).toBe(true);
    const got = new Float32Array(n);
    expect(reluSimd(x, got)).toBe(true);
    sameBits(got, want);
    const grad = dy.map((d, i) => d * +(x[i]! > 0));
    const g = new Float32Array(n);
    expect(reluGradSimd(x, dy, g)).toBe(true);
    sameBits(g, grad);
    const inPlace = x.slice();
    expect(reluSimd(inPlace, inPlace)).toBe(true);
    sameBits(inPlace, want);
  });

  it("declines small, non-f32 and mismatched operands (the JS loops then run)", () => {
    const small = new Float32Array(ELEMENTWISE_SIMD_MIN - 1);
    expect(binarySimd("add", small, 0, small, 0, false, small, 0, small.length)).toBe(false);
    const f64 = new Float64Array(ELEMENTWISE_SIMD_MIN);
    expect(binarySimd("mul", f64, 0, f64, 0, false, f64, 0, f64.length)).toBe(false);
    const big = new Float32Array(ELEMENTWISE_SIMD_MIN);
    expect(binarySimd("max", big, 0, big, 0, false, big, 0, big.length)).toBe(false);
    expect(reluGradSimd(big, new Float32Array(5), big)).toBe(false);
  });
});
