import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pool2dGeometry } from "../backend.js";
import { pool2dBackwardInto, pool2dInto } from "./pool.js";

// The definition: per output, the in-image elements of its window in row-major order (w fastest).
function windowOf(g: Pool2dGeometry, o: number): number[] {
  const [W, H] = g.inShape;
  const [oW, oH] = g.outShape;
  const ow = o % oW;
  const oh = Math.floor(o / oW) % oH;
  const cn = Math.floor(o / (oW * oH));
  const idx: number[] = [];
  for (let h = oh * g.stride[1] - g.pad[2]; h < oh * g.stride[1] - g.pad[2] + g.window[1]; h++)
    for (let w = ow * g.stride[0] - g.pad[0]; w < ow * g.stride[0] - g.pad[0] + g.window[0]; w++)
      if (w >= 0 && w < W && h >= 0 && h < H) idx.push(w + W * (h + H * cn));
  return idx;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

const geometry = fc
  .record({
    W: fc.integer({ min: 1, max: 8 }),
    H: fc.integer({ min: 1, max: 8 }),
    CN: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    sh: fc.integer({ min: 1, max: 3 }),
    pw: fc.integer({ min: 0, max: 1 }),
    ph: fc.integer({ min: 0, max: 1 }),
    // Few distinct values, so that windows often hold ties: the first maximum must win.
    levels: fc.integer({ min: 1, max: 4 }),
    // Half the cases are Flux's MaxPool((2, 2)) (2×2, stride 2, no padding: pool.ts's unrolled path).
    plain2x2: fc.boolean(),
  })
  .map((q) => {
    const p = q.plain2x2 ? { ...q, kw: 2, kh: 2, sw: 2, sh: 2, pw: 0, ph: 0, W: q.W + 1, H: q.H + 1 } : q;
    const oW = Math.floor((p.W + 2 * p.pw - p.kw) / p.sw) + 1;
    const oH = Math.floor((p.H + 2 * p.ph - p.kh) / p.sh) + 1;
    const g: Pool2dGeometry = {
      window: [p.kw, p.kh],
      stride: [p.sw, p.sh],
      pad: [p.pw, p.pw, p.ph, p.ph],
      inShape: [p.W, p.H, p.CN, 1],
      outShape: [oW, oH, p.CN, 1],
    };
    const x = new Float64Array(size(g.inShape));
    for (let i = 0; i < x.length; i++) x[i] = (((i * 7919) % 13) % p.levels) - 1;
    return { g, x };
  })
  .filter(({ g }) => g.outShape[0] >= 1 && g.outShape[1] >= 1);

describe("pool2d against the definition", () => {
  it("max and mean forward (mean divides by the full window, padding included)", () => {
    fc.assert(
      fc.property(geometry, ({ g, x }) => {
        const n = size(g.outShape);
        const max = new Float64Array(n);
        const mean = new Float64Array(n);
        pool2dInto("max", x, g, max);
        pool2dInto("mean", x, g, mean);
        for (let o = 0; o < n; o++) {
          const vals = windowOf(g, o).map((i) => x[i]!);
          expect(max[o]).toBe(vals.length ? Math.max(...vals) : Number.NEGATIVE_INFINITY);
          expect(mean[o]).toBeCloseTo(vals.reduce((a, b) => a + b, 0) / (g.window[0] * g.window[1]), 12);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("max backward routes each gradient to the window's first maximum; mean spreads it", () => {
    fc.assert(
      fc.property(geometry, ({ g, x }) => {
        const n = size(g.outShape);
        const y = new Float64Array(n);
        pool2dInto("max", x, g, y);
        const dy = Float64Array.from({ length: n }, (_, o) => o + 1);
        const wantMax = new Float64Array(x.length);
        const wantMean = new Float64Array(x.length);
        for (let o = 0; o < n; o++) {
          const idx = windowOf(g, o);
          const first = idx.find((i) => x[i] === y[o]);
          if (first !== undefined) wantMax[first]! += dy[o]!;
          for (const i of idx) wantMean[i]! += dy[o]! / (g.window[0] * g.window[1]);
        }
        const dxMax = new Float64Array(x.length).fill(9); // stale values must be cleared
        const dxMean = new Float64Array(x.length).fill(9);
        pool2dBackwardInto("max", x, y, dy, g, dxMax);
        pool2dBackwardInto("mean", x, y, dy, g, dxMean);
        expect(Array.from(dxMax)).toEqual(Array.from(wantMax));
        for (let i = 0; i < x.length; i++) expect(dxMean[i]).toBeCloseTo(wantMean[i]!, 12);
      }),
      { numRuns: 200 },
    );
  });

  for (const [name, window, stride] of [
    ["2×2 stride 2", 2, 2],
    ["2×2 stride 1", 2, 1],
  ] as const) {
    it(`a NaN in a window makes its max NaN and takes no gradient (${name})`, () => {
      const g: Pool2dGeometry = {
        window: [window, window],
        stride: [stride, stride],
        pad: [0, 0, 0, 0],
        inShape: [2, 2, 1, 1],
        outShape: [1, 1, 1, 1],
      };
      for (let at = 0; at < 4; at++) {
        const x = Float32Array.of(1, 4, 3, 2);
        x[at] = Number.NaN;
        const y = new Float32Array(1);
        pool2dInto("max", x, g, y);
        expect(y[0]).toBeNaN();
        const dx = new Float32Array(4);
        pool2dBackwardInto("max", x, y, Float32Array.of(1), g, dx);
        expect(Array.from(dx)).toEqual([0, 0, 0, 0]);
      }
    });
  }
});
