import { describe, expect, it } from "vitest";
import { gruGatesBackwardJs, gruGatesJs } from "./gru.js";
import { gruGatesBackwardSimd, gruGatesSimd } from "./wasm/recurrentSimd.js";

// The GRU gate passes: the wasm SIMD kernels against the scalar JS loops (Math.exp in f64, the reference).
function random(seed: number) {
  let s = seed;
  return (len: number, lo: number, hi: number) =>
    Float32Array.from({ length: len }, () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return lo + ((hi - lo) * s) / 2147483648;
    });
}

function expectClose(a: Float32Array, b: Float32Array) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    // A few f32 ulps (the kernel's exp and tanh are polynomial approximations evaluated in f32).
    const err = Math.abs(a[i]! - b[i]!) - (4e-7 + 1e-6 * Math.abs(b[i]!));
    if (!(err <= 0)) worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
  }
  expect(worst).toBe(0);
}

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
    const gates = arr(3 * n * cols, 0, 1).map((v, k) => (Math.floor(k / n) % 3 === 2 ? 2 * v - 1 : v));
    const dyStride = 3 * n;
    const base = {
      gates,
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
