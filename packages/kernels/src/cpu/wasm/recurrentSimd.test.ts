import { describe, expect, it } from "vitest";
import { gruGatesBackwardJs, gruGatesJs } from "../gru.js";
import { gatesBackwardJs, gatesJs } from "../lstm.js";
import { gruGatesBackwardSimd, gruGatesSimd, lstmGatesBackwardSimd, lstmGatesSimd } from "./recurrentSimd.js";

// The LSTM and GRU gate passes: the wasm SIMD kernels against the scalar JS loops (Math.exp in f64, the
// reference).

/** A seeded stream of uniform values in [0, 1). */
function uniform(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** f32 arrays of uniform values in [lo, hi), from one seeded stream. */
function random(seed: number) {
  const next = uniform(seed);
  return (len: number, lo: number, hi: number) =>
    Float32Array.from({ length: len }, () => lo + (hi - lo) * next());
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

/** Activated gates in [0, 1), but the candidate gate (index `candidate` of `count`) in [-1, 1). */
function activatedGates(
  arr: ReturnType<typeof random>,
  n: number,
  cols: number,
  count: number,
  candidate: number,
) {
  return arr(count * n * cols, 0, 1).map((v, k) => (Math.floor(k / n) % count === candidate ? 2 * v - 1 : v));
}

/** The LSTM forward pass on both paths from the same operands; the first gates may be given. */
function lstmForward(cols: number, n: number, seed: number, special: readonly number[] = []) {
  const rand = uniform(seed);
  const g = Float32Array.from({ length: 4 * n * cols }, (_, k) =>
    k < special.length ? special[k]! : (rand() * 2 - 1) * 12,
  );
  const cprev = Float32Array.from({ length: n * cols }, () => (rand() * 2 - 1) * 3);
  const outputs = () => ({
    g: g.slice(),
    c: new Float32Array(n * cols),
    tc: new Float32Array(n * cols),
    h: new Float32Array(n * cols),
  });
  const [js, wasm] = [outputs(), outputs()];
  const bias = Float32Array.from({ length: 4 * n }, () => rand() - 0.5);
  gatesJs(cols, n, bias, js.g, cprev, js.c, js.tc, js.h);
  const ran = lstmGatesSimd(cols, n, bias, wasm.g, cprev, wasm.c, wasm.tc, wasm.h);
  return { js, wasm, ran };
}

describe("the LSTM gate pass in wasm SIMD", () => {
  it("matches the JS loop to a few ulps, with hidden sizes that are not a multiple of 4", () => {
    for (const [cols, n] of [
      [3, 5],
      [32, 64],
      [2, 1],
    ] as const) {
      const { js, wasm, ran } = lstmForward(cols, n, cols * 31 + n);
      expect(ran).toBe(true);
      for (const k of ["g", "c", "tc", "h"] as const) expectClose(wasm[k], js[k]);
    }
  });

  it("saturates, keeps tiny inputs exact to f32 and propagates NaN", () => {
    const special = [1e3, -1e3, 90, -90, 1e-8, -1e-8, 0, Number.NaN];
    const { js, wasm, ran } = lstmForward(2, 8, 7, special);
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
    const { js, wasm, ran } = lstmForward(7, 40000, 3);
    expect(ran).toBe(true);
    for (const k of ["g", "c", "tc", "h"] as const) expectClose(wasm[k], js[k]);
  });

  it("the backward gate pass matches the JS loop, dy read from strided columns", () => {
    for (const [cols, n] of [
      [5, 7],
      [32, 64],
    ] as const) {
      const arr = random(cols * 7 + n);
      const dyStride = 3 * n; // every third column of a wider array
      const base = {
        gates: activatedGates(arr, n, cols, 4, 2),
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
    const [a, b] = [new Float64Array(4), new Float64Array(1)];
    expect(lstmGatesSimd(1, 1, null, a, b, b.slice(), b.slice(), b.slice())).toBe(false);
  });
});

describe("the GRU gate passes in wasm SIMD", () => {
  it.each([
    [3, 5],
    [32, 64],
    [7, 30000],
  ] as const)("forward, %i columns of %i units (tails and chunks), match the JS loop", (cols, n) => {
    const arr = random(cols * 13 + n);
    const g = arr(3 * n * cols, -6, 6);
    const gh = arr(3 * n * cols, -3, 3);
    const hprev = arr(n * cols, -1, 1);
    const bias = arr(3 * n, -0.5, 0.5);
    const js = { g: g.slice(), h: new Float32Array(n * cols) };
    const wasm = { g: g.slice(), h: new Float32Array(n * cols) };
    gruGatesJs(cols, n, bias, js.g, gh, hprev, js.h);
    expect(gruGatesSimd(cols, n, bias, wasm.g, gh, hprev, wasm.h)).toBe(true);
    expectClose(wasm.g, js.g);
    expectClose(wasm.h, js.h);
  });

  it.each([
    [5, 7],
    [32, 64],
  ] as const)("backward, %i columns of %i units, dy from strided columns, matches the JS loop", (cols, n) => {
    const arr = random(cols * 7 + n);
    const dyStride = 3 * n;
    const base = {
      gates: activatedGates(arr, n, cols, 3, 2),
      gh: arr(3 * n * cols, -2, 2),
      hprev: arr(n * cols, -1, 1),
      dy: arr(dyStride * cols, -1, 1),
      dyStart: n,
      dyStride,
    };
    const dh = arr(n * cols, -1, 1);
    const mk = () => ({
      ...base,
      dh: dh.slice(),
      dgx: new Float32Array(3 * n * cols),
      dgh: new Float32Array(3 * n * cols),
    });
    const js = mk();
    const wasm = mk();
    gruGatesBackwardJs(cols, n, js);
    expect(gruGatesBackwardSimd(cols, n, wasm)).toBe(true);
    for (const k of ["dgx", "dgh", "dh"] as const) expectClose(wasm[k], js[k]);
  });
});
