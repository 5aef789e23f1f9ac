import { describe, expect, it } from "vitest";
import { reduceInto } from "./reduce.js";
import { reluBiasGradInto } from "./reluBiasGrad.js";
import { unaryGradInto } from "./unary.js";

// Values of both signs with exact zeros, a NaN and infinities in dy.
function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    v[i] = i % 19 === 0 ? 0 : (r - Math.floor(r) - 0.5) * 8;
  }
  return v;
}

describe("reluBiasGradInto (relu's gradient and the bias sum in one pass)", () => {
  // A conv layer's channel bias, a dense layer's [out] and [out, 1] biases, a bias over the last dim, a
  // full-shape "bias" (nothing summed) and a scalar one.
  for (const [shape, biasShape] of [
    [
      [26, 26, 16, 5],
      [1, 1, 16, 1],
    ],
    [[128, 64], [128]],
    [
      [128, 64],
      [128, 1],
    ],
    [
      [7, 5, 3],
      [1, 1, 3],
    ],
    [
      [6, 4],
      [6, 4],
    ],
    [[9, 3], [1]],
  ] as const) {
    it(`equals unaryGrad + reduce over ${JSON.stringify(shape)} with bias ${JSON.stringify(biasShape)}`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const y = values(n, 1).map((v) => Math.max(v, 0));
      const dy = values(n, 2);
      dy[3] = Number.NaN;
      dy[5] = Number.POSITIVE_INFINITY;
      dy[8] = -Number.POSITIVE_INFINITY;
      const wantDx = new Float32Array(n);
      unaryGradInto("relu", y, y, dy, wantDx, 0);
      // The bias shape padded to the rank of y, as the op layer's unbroadcast sums it.
      const full = shape.map((_, d) => (biasShape as readonly number[])[d] ?? 1);
      const axes = shape.map((s, d) => (full[d] === 1 && (s as number) !== 1 ? d : -1)).filter((d) => d >= 0);
      const nb = full.reduce((a, b) => a * b, 1);
      const wantDb = new Float32Array(nb);
      if (axes.length === 0) wantDb.set(wantDx);
      else reduceInto("sum", wantDx, shape, axes, wantDb);
      const dx = new Float32Array(n).fill(7);
      const db = new Float32Array(nb).fill(7);
      reluBiasGradInto(y, dy, shape, biasShape, dx, db);
      expect(Array.from(dx)).toEqual(Array.from(wantDx));
      for (let i = 0; i < nb; i++) {
        if (Number.isNaN(wantDb[i])) expect(db[i]).toBeNaN();
        else expect(db[i]).toBeCloseTo(wantDb[i]!, 3);
      }
    });
  }
});
