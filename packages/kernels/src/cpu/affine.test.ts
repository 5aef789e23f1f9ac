import { describe, expect, it } from "vitest";
import { affineActInto } from "./affine.js";
import { affineSimd, SIMD_MIN_ELEMENTS } from "./wasm/affineSimd.js";

// Random-looking values of both signs, with exact zeros and a NaN to pin the edge semantics.
function input(n: number, Ctor: Float32ArrayConstructor | Float64ArrayConstructor) {
  const x = new Ctor(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 12.9898) * 3;
  x[1] = 0;
  x[2] = Number.NaN;
  return x;
}

// The f32 op chain's values: a*x rounded to f32, then + b rounded.
const chainF32 = (a: number, v: number, b: number) => Math.fround(Math.fround(a * v) + b);
const relu = (v: number) => (v > 0 ? v : Number.isNaN(v) ? v : 0);

describe("affineActInto with scalar a and b", () => {
  // 7: the JS loop's unrolled body and tail; above SIMD_MIN_ELEMENTS: wasm blocks, a partial block and a tail
  // that is not a multiple of 4.
  for (const n of [7, 1024, SIMD_MIN_ELEMENTS + 16384 + 21]) {
    for (const act of ["relu", "identity"] as const) {
      it(`matches the f32 chain to an ulp (${act}, n = ${n})`, () => {
        const [a, b] = [Math.fround(1.5), Math.fround(-0.25)];
        const x = input(n, Float32Array);
        const out = new Float32Array(n);
        affineActInto(act, 0, new Float32Array([a]), [], x, [n], new Float32Array([b]), [], out, [n]);
        for (let i = 0; i < n; i++) {
          const want = act === "relu" ? relu(chainF32(a, x[i]!, b)) : chainF32(a, x[i]!, b);
          if (Number.isNaN(want)) expect(out[i]).toBeNaN();
          // One rounding (JS loop, in f64) against two (the chain): within an ulp of the terms' magnitude.
          else
            expect(Math.abs(out[i]! - want)).toBeLessThanOrEqual(
              (Math.abs(a * x[i]!) + Math.abs(b)) * 2 ** -23,
            );
        }
        if (act === "relu") expect(out.every((v) => !(v < 0))).toBe(true);
      });
    }
  }

  it("keeps f64 in f64 (never the f32 wasm kernel)", () => {
    const n = SIMD_MIN_ELEMENTS * 2;
    const x = input(n, Float64Array);
    const out = new Float64Array(n);
    affineActInto("relu", 0, new Float64Array([0.1]), [], x, [n], new Float64Array([0.3]), [], out, [n]);
    for (let i = 3; i < n; i += 97) expect(out[i]).toBe(Math.max(0.1 * x[i]! + 0.3, 0));
  });
});

describe("affineSimd", () => {
  it("computes exactly the f32 op chain, block by block", () => {
    const n = SIMD_MIN_ELEMENTS * 3 + 3;
    const x = input(n, Float32Array);
    const out = new Float32Array(n);
    expect(affineSimd("relu", 1.5, x, -0.25, out)).toBe(true);
    for (let i = 0; i < n; i++) {
      const want = relu(chainF32(1.5, x[i]!, -0.25));
      if (Number.isNaN(want)) expect(out[i]).toBeNaN();
      else expect(out[i]).toBe(want);
    }
  });

  it("declines what it does not handle: small arrays, f64, mismatched lengths", () => {
    const small = new Float32Array(SIMD_MIN_ELEMENTS - 1);
    expect(affineSimd("relu", 1, small, 0, new Float32Array(small.length))).toBe(false);
    const big = SIMD_MIN_ELEMENTS * 2;
    expect(affineSimd("relu", 1, new Float64Array(big), 0, new Float64Array(big))).toBe(false);
    expect(affineSimd("identity", 1, new Float32Array(big), 0, new Float32Array(big + 1))).toBe(false);
  });
});
