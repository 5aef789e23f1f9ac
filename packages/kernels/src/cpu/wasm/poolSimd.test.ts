import { describe, expect, it } from "vitest";
import { maxpool2x2BackwardSimd, maxpool2x2Simd } from "./poolSimd.js";

// Few distinct levels (so windows hold ties: the first maximum must take the gradient), some NaN and
// infinities; sizes odd and even, planes more than one block holds.
function values(n: number, seed: number, levels: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    const u = r - Math.floor(r);
    v[i] = i % 97 === 5 ? Number.NaN : i % 89 === 3 ? -Infinity : Math.floor(u * levels) - 1;
  }
  return v;
}

// The definition, per plane: window (ow, oh) is x[2ow + dw + W (2oh + dh)], scanned dh then dw.
function reference(x: Float32Array, W: number, H: number, planes: number, dy: Float32Array) {
  const [oW, oH] = [W >> 1, H >> 1];
  const y = new Float32Array(oW * oH * planes);
  const dx = new Float32Array(x.length);
  for (let p = 0, o = 0; p < planes; p++) {
    for (let oh = 0; oh < oH; oh++) {
      for (let ow = 0; ow < oW; ow++, o++) {
        const idx = [0, 1, W, W + 1].map((d) => p * W * H + 2 * oh * W + 2 * ow + d);
        const vals = idx.map((i) => x[i]!);
        const m = vals.some(Number.isNaN) ? Number.NaN : Math.max(...vals);
        y[o] = m;
        const first = idx.find((i) => x[i] === m);
        if (first !== undefined) dx[first] = dy[o]!;
      }
    }
  }
  return { y, dx };
}

describe("maxpool2x2Simd (2x2 max pooling with wasm SIMD)", () => {
  for (const [W, H, planes] of [
    [26, 26, 40],
    [11, 11, 300],
    [2, 2, 5],
    [3, 5, 7],
    [9, 2, 3],
    [128, 128, 2],
  ] as const) {
    it(`forward and backward equal the definition on ${W}x${H}x${planes}`, () => {
      for (const levels of [3, 1000]) {
        const x = values(W * H * planes, W + levels, levels);
        const n = (W >> 1) * (H >> 1) * planes;
        const dy = values(n, 7, 1000).map((v, i) => (Number.isFinite(v) ? v + i : 1));
        const want = reference(x, W, H, planes, dy);
        const y = new Float32Array(n).fill(7);
        expect(maxpool2x2Simd(x, W, H, planes, y)).toBe(true);
        expect(Array.from(y)).toEqual(Array.from(want.y));
        const dx = new Float32Array(x.length).fill(9); // stale values must all be overwritten
        expect(maxpool2x2BackwardSimd(x, want.y, dy, W, H, planes, dx)).toBe(true);
        expect(Array.from(dx)).toEqual(Array.from(want.dx));
      }
    });
  }

  it("declines what it cannot do: f64 arrays, a plane larger than its block, a side below 2", () => {
    expect(maxpool2x2Simd(new Float64Array(16), 4, 4, 1, new Float64Array(4))).toBe(false);
    expect(maxpool2x2Simd(new Float32Array(256 * 256), 256, 256, 1, new Float32Array(128 * 128))).toBe(false);
    expect(maxpool2x2Simd(new Float32Array(4), 1, 4, 1, new Float32Array(0))).toBe(false);
  });
});
