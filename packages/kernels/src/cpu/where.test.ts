// whereInto's loops (a contiguous condition choosing between a contiguous operand and a value held still
// along the line, either way round, and the general strided loop) against a plain index-by-index reference,
// over random broadcasts.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { broadcastShapes, type Shape, sizeOf, stridesOf } from "../shape.js";
import { whereInto } from "./binary.js";

/** out[i] = cond ? a : b with Julia broadcasting, one multi-index at a time. */
function reference(
  cond: Uint8Array,
  cs: Shape,
  a: Float32Array,
  as: Shape,
  b: Float32Array,
  bs: Shape,
  out: Shape,
) {
  const n = sizeOf(out);
  const res = new Float32Array(n);
  const at = (shape: Shape, idx: number[]) => {
    const st = stridesOf(shape);
    let o = 0;
    for (let d = 0; d < shape.length; d++) o += (shape[d] === 1 ? 0 : idx[d]!) * st[d]!;
    return o;
  };
  for (let i = 0; i < n; i++) {
    const idx: number[] = [];
    let r = i;
    for (const d of out) {
      idx.push(r % d);
      r = Math.floor(r / d);
    }
    res[i] = cond[at(cs, idx)] ? a[at(as, idx)]! : b[at(bs, idx)]!;
  }
  return res;
}

describe("whereInto", () => {
  it("matches the index-by-index reference for every broadcast of condition, then and else", () => {
    const dims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
    // Each operand keeps a dim or broadcasts it (1), or is a scalar ([]).
    const pick = fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(dims, pick, pick, pick, fc.integer(), (full, pc, pa, pb, seed) => {
        const shapeOf = (p: number[]) =>
          p[0] === 2 ? [] : full.map((d, i) => (p[i % p.length] === 1 ? 1 : d));
        const [cs, as, bs] = [shapeOf(pc), shapeOf(pa), shapeOf(pb)];
        const outShape = broadcastShapes(broadcastShapes(cs, as, "where"), bs, "where");
        let s = seed;
        const rand = () => ((s = (s * 1103515245 + 12345) | 0) >>> 8) / 2 ** 24;
        const cond = Uint8Array.from({ length: sizeOf(cs) }, () => (rand() < 0.5 ? 1 : 0));
        const a = Float32Array.from({ length: sizeOf(as) }, rand);
        const b = Float32Array.from({ length: sizeOf(bs) }, () => -rand());
        const out = new Float32Array(sizeOf(outShape));
        whereInto(cond, cs, a, as, b, bs, out, outShape);
        expect(Array.from(out)).toEqual(Array.from(reference(cond, cs, a, as, b, bs, outShape)));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
