import { describe, expect, it } from "vitest";
import { affineActInto } from "../affine.js";
import { BIAS_SIMD_MIN, biasRunsSimd } from "./biasSimd.js";

// f32 values of both signs with the awkward ones mixed in: signed zeros, infinities, NaN.
function values(n: number, seed: number): Float32Array {
  const special = [0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -3.4e38];
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    v[i] = i % 23 === 0 ? special[(i / 23) % special.length]! : (r - Math.floor(r) - 0.5) * 8;
  }
  return v;
}

// The JS loops' definition: x + b rounded to f32 once; relu as `0.5 * (v + |v|)`, and 0 for -Infinity
// (NNlib's relu; the formula alone would give NaN there).
function want(act: "relu" | "identity", x: number, b: number): number {
  const v = Math.fround(x + b);
  if (act !== "relu") return v;
  return v === Number.NEGATIVE_INFINITY ? 0 : 0.5 * (v + Math.abs(v));
}

describe("a per-channel bias with wasm SIMD (bit-identical to the JS loops)", () => {
  // [W, H, C, N] with the bias [1, 1, C, 1]: runs of W*H, odd lengths, more runs than a block holds.
  for (const [W, H, C, N] of [
    [26, 26, 16, 9],
    [11, 11, 32, 7],
    [5, 3, 300, 20],
  ] as const) {
    for (const act of ["relu", "identity"] as const) {
      it(`${act} over [${W}, ${H}, ${C}, ${N}] through affineActInto`, () => {
        const shape = [W, H, C, N];
        const n = W * H * C * N;
        expect(n).toBeGreaterThanOrEqual(BIAS_SIMD_MIN);
        const x = values(n, C);
        const b = values(C, 3);
        const out = new Float32Array(n).fill(7);
        affineActInto(act, 0, Float32Array.of(1), [], x, shape, b, [1, 1, C, 1], out, shape);
        const bad: number[] = [];
        for (let i = 0; i < n; i++) {
          const c = Math.floor(i / (W * H)) % C;
          if (!Object.is(out[i], want(act, x[i]!, b[c]!))) bad.push(i);
        }
        expect(bad.slice(0, 5)).toEqual([]);
      });
    }
  }

  it("declines what it does not handle: small work, short runs, f64", () => {
    const f = (n: number) => new Float32Array(n);
    expect(biasRunsSimd("relu", f(100), f(4), 1, 25, 4, 1, f(100))).toBe(false);
    expect(
      biasRunsSimd(
        "relu",
        f(BIAS_SIMD_MIN * 4),
        f(BIAS_SIMD_MIN),
        1,
        4,
        BIAS_SIMD_MIN,
        1,
        f(BIAS_SIMD_MIN * 4),
      ),
    ).toBe(false);
    const d = (n: number) => new Float64Array(n);
    expect(
      biasRunsSimd("relu", d(BIAS_SIMD_MIN * 2), d(2), 1, BIAS_SIMD_MIN, 2, 1, d(BIAS_SIMD_MIN * 2)),
    ).toBe(false);
    expect(
      biasRunsSimd("relu", f(BIAS_SIMD_MIN * 2), f(2), 1, BIAS_SIMD_MIN, 2, 1, f(BIAS_SIMD_MIN * 2)),
    ).toBe(true);
  });
});
