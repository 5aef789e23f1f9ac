// The SIMD gelu, gelu gradient and softmax against f64 references, over arrays large enough to take the
// wasm path, with the inputs where a vectorised exp goes wrong: overflow and underflow of e^{-2u}, signed
// zeros, infinities, NaN, masked (-Infinity) softmax scores and lines that are not block-aligned.
import { describe, expect, it } from "vitest";
import { geluGradRef, geluRef } from "../gelu.testing.js";
import { softmaxInto } from "../reduce.js";
import { unaryGradInto, unaryInto } from "../unary.js";
import { geluGradSimd, geluSimd, softmaxLinesSimd } from "./activationSimd.js";

/** 3 blocks and a partial vector: -15..15 densely, then the special values every 97 elements. */
function inputs(n = 3 * 8192 + 7): Float32Array {
  const special = [0, -0, 1e-30, -1e-30, 9, -9, 40, -40, 400, -400, Infinity, -Infinity, Number.NaN];
  return Float32Array.from({ length: n }, (_, i) =>
    i % 97 === 0 ? special[(i / 97) % special.length]! : -15 + (30 * i) / n,
  );
}

/**
 * Within a few f32 ulps of the f64 reference, or `floor` absolute where the result is small next to the O(1)
 * terms it is computed from (f32 arithmetic cancels there; the gradient's two terms nearly cancel where
 * gelu' crosses zero).
 */
function expectClose(got: Float32Array, want: (i: number) => number, floor = 1e-7): void {
  for (let i = 0; i < got.length; i++) {
    const w = Math.fround(want(i));
    const g = got[i]!;
    if (Number.isNaN(w)) {
      if (!Number.isNaN(g)) expect.fail(`index ${i}: got ${g}, want NaN`);
      continue;
    }
    const tol = Math.max(8 * 2 ** -24 * Math.abs(w), floor);
    if (!(Math.abs(g - w) <= tol) && g !== w)
      expect.fail(`index ${i} : got ${g}, want ${w} (|diff| ${Math.abs(g - w)} > ${tol})`);
  }
}

describe("activationSimd", () => {
  it("gelu matches the tanh form, also through unaryInto", () => {
    const x = inputs();
    const got = new Float32Array(x.length);
    expect(geluSimd(x, got)).toBe(true);
    expectClose(got, (i) => geluRef(x[i]!));
    const viaOp = new Float32Array(x.length);
    unaryInto("gelu", x, viaOp, 0);
    expect(viaOp).toEqual(got);
  });

  it("gelu's gradient matches the tanh form's derivative, also through unaryGradInto", () => {
    const x = inputs().map((v) => (Number.isFinite(v) ? v : 0));
    const dy = Float32Array.from(x, (_, i) => 1 + (i % 7) / 4);
    const got = new Float32Array(x.length);
    expect(geluGradSimd(x, dy, got)).toBe(true);
    expectClose(got, (i) => dy[i]! * geluGradRef(x[i]!), 2.5e-7);
    const viaOp = new Float32Array(x.length);
    unaryGradInto("gelu", x, new Float32Array(x.length), dy, viaOp, 0);
    expect(viaOp).toEqual(got);
  });

  it("declines what it cannot do: small arrays, f64, mismatched lengths", () => {
    expect(geluSimd(new Float32Array(40), new Float32Array(40))).toBe(false);
    expect(geluSimd(new Float64Array(20000), new Float64Array(20000))).toBe(false);
    expect(geluSimd(new Float32Array(20000), new Float32Array(20001))).toBe(false);
    expect(softmaxLinesSimd(new Float32Array(30000), 6, new Float32Array(30000))).toBe(false);
  });

  it("softmax over causal-masked lines matches the f64 two-pass form; masked entries are exact zeros", () => {
    const len = 68; // 17 vectors: blocks hold whole lines only, and 8192 is not a multiple of 68
    const lines = 400;
    const x = new Float32Array(len * lines);
    for (let l = 0; l < lines; l++)
      for (let j = 0; j < len; j++)
        x[j + len * l] = j > l % len ? -Infinity : 20 * Math.sin(0.37 * j + l) + (l % 3 === 0 ? 80 : 0);
    x[5 * len + 3] = Number.NaN;
    const got = new Float32Array(x.length);
    expect(softmaxLinesSimd(x, len, got)).toBe(true);
    const want = new Float64Array(x.length);
    for (let l = 0; l < lines; l++) {
      let m = -Infinity;
      for (let j = 0; j < len; j++) m = Math.max(m, x[j + len * l]!);
      let s = 0;
      for (let j = 0; j < len; j++) s += Math.exp(x[j + len * l]! - m);
      for (let j = 0; j < len; j++) want[j + len * l] = Math.exp(x[j + len * l]! - m) / s;
    }
    expectClose(got, (i) => want[i]!);
    // (line 5 holds a NaN, which makes its whole line NaN as in the JS loop)
    for (let i = 0; i < x.length; i++)
      if (x[i] === -Infinity && Math.floor(i / len) !== 5) expect(got[i]).toBe(0);
    const viaOp = new Float32Array(x.length);
    softmaxInto(x, [len, lines], 0, false, viaOp);
    expect(viaOp).toEqual(got);
  });
});
