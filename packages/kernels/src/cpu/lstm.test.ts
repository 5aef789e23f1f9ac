import { describe, expect, it } from "vitest";
import { gatesBackwardJs, gatesJs } from "./lstm.js";
import { lstmGatesBackwardSimd, lstmGatesSimd } from "./wasm/recurrentSimd.js";

// The LSTM gate pass: the wasm SIMD kernel against the scalar JS loop (Math.exp in f64, the reference).
function run(cols: number, n: number, seed: number, special: readonly number[] = []) {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const g = Float32Array.from({ length: 4 * n * cols }, (_, k) =>
    k < special.length ? special[k]! : (rand() * 2 - 1) * 12,
  );
  const cprev = Float32Array.from({ length: n * cols }, () => (rand() * 2 - 1) * 3);
  const js = {
    g: g.slice(),
    c: new Float32Array(n * cols),
    tc: new Float32Array(n * cols),
    h: new Float32Array(n * cols),
  };
  const wasm = {
    g: g.slice(),
    c: new Float32Array(n * cols),
    tc: new Float32Array(n * cols),
    h: new Float32Array(n * cols),
  };
  const bias = Float32Array.from({ length: 4 * n }, () => rand() - 0.5);
  gatesJs(cols, n, bias, js.g, cprev, js.c, js.tc, js.h);
  const ran = lstmGatesSimd(cols, n, bias, wasm.g, cprev, wasm.c, wasm.tc, wasm.h);
  return { js, wasm, ran };
}

function expectClose(a: Float32Array, b: Float32Array) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    // A few f32 ulps: the kernel's exp and tanh are polynomial approximations evaluated in f32 (tanh near ±1
    // is off by up to ~5 ulps of 1, 3e-7), and c = f c' + i g may cancel, so the bound is absolute near 0.
    const err = Math.abs(a[i]! - b[i]!) - (4e-7 + 1e-6 * Math.abs(b[i]!));
    if (!(err <= 0)) worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
  }
  expect(worst).toBe(0);
}

describe("the LSTM gate pass in wasm SIMD", () => {
  it("matches the JS loop to a few ulps, with hidden sizes that are not a multiple of 4", () => {
    for (const [cols, n] of [
      [3, 5],
      [32, 64],
      [2, 1],
    ] as const) {
      const { js, wasm, ran } = run(cols, n, cols * 31 + n);
      expect(ran).toBe(true);
      for (const k of ["g", "c", "tc", "h"] as const) expectClose(wasm[k], js[k]);
    }
  });

  it("saturates, keeps tiny inputs exact to f32 and propagates NaN", () => {
    const special = [1e3, -1e3, 90, -90, 1e-8, -1e-8, 0, Number.NaN];
    const { js, wasm, ran } = run(2, 8, 7, special);
    expect(ran).toBe(true);
    // The input gate i = σ(z) for the first eight units of column 0.
    expect(Array.from(wasm.g.subarray(0, 7))).toEqual(
      Array.from(js.g.subarray(0, 7)).map((v, k) => (k === 1 || k === 3 ? wasm.g[k] : v)),
    );
    expect(wasm.g[1]).toBeLessThan(1e-38); // σ(-1000) and σ(-90): 0 to f32's precision
    expect(wasm.g[3]).toBeLessThan(1e-38);
    expect(Number.isNaN(wasm.g[7]!)).toBe(true);
    expect(Number.isNaN(wasm.h[7]!)).toBe(true);
    for (const k of ["c", "tc"] as const) expectClose(wasm[k].subarray(0, 7), js[k].subarray(0, 7));
  });

  it("splits a step that does not fit its scratch block into chunks", () => {
    const { js, wasm, ran } = run(7, 40000, 3);
    expect(ran).toBe(true);
    for (const k of ["g", "c", "tc", "h"] as const) expectClose(wasm[k], js[k]);
  });

  it("the backward gate pass matches the JS loop, dy read from strided columns", () => {
    for (const [cols, n] of [
      [5, 7],
      [32, 64],
    ] as const) {
      let s = cols * 7 + n;
      const rand = () => {
        s = (s * 1103515245 + 12345) % 2147483648;
        return s / 2147483648;
      };
      const arr = (len: number, lo: number, hi: number) =>
        Float32Array.from({ length: len }, () => lo + (hi - lo) * rand());
      const gates = arr(4 * n * cols, 0, 1).map((v, k) => (Math.floor(k / n) % 4 === 2 ? 2 * v - 1 : v));
      const dyStride = 3 * n; // every third column of a wider array
      const base = {
        gates,
        tc: arr(n * cols, -1, 1),
        cprev: arr(n * cols, -3, 3),
        dy: arr(dyStride * cols, -1, 1),
        dyStart: n,
        dyStride,
        dh: arr(n * cols, -1, 1),
      };
      const dc = arr(n * cols, -1, 1);
      const js = { ...base, dc: dc.slice(), dgates: new Float32Array(4 * n * cols) };
      const wasm = { ...base, dc: dc.slice(), dgates: new Float32Array(4 * n * cols) };
      gatesBackwardJs(cols, n, js);
      expect(lstmGatesBackwardSimd(cols, n, wasm)).toBe(true);
      expectClose(wasm.dgates, js.dgates);
      expectClose(wasm.dc, js.dc);
    }
  });

  it("declines f64 arrays (the JS loop serves them)", () => {
    const a = new Float64Array(4);
    expect(
      lstmGatesSimd(
        1,
        1,
        null,
        a,
        new Float64Array(1),
        new Float64Array(1),
        new Float64Array(1),
        new Float64Array(1),
      ),
    ).toBe(false);
  });
});
