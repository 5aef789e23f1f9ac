// A norm layer with f32 running statistics given f64 input in training: the statistics are updated in their
// own type (Flux's `bn.μ = ...` converts on assignment) and the output is f64, instead of an assign error.
import { tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { BatchNorm, InstanceNorm, trainmode } from "../index.js";

const data = [1, -2, 0.5, 3, 4, -1, 2, 0, 6, -3, 1.5, 2.5];
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const pvar = (a: number[]) => mean(a.map((v) => (v - mean(a)) ** 2));

describe("running statistics of another float type than the input", () => {
  test("BatchNorm(3) on an f64 [3, 4] batch: f64 output, f32 statistics moved by the momentum", () => {
    const bn = trainmode(BatchNorm(3, undefined, { momentum: 0.1 }));
    const x = tensor(new Float64Array(data), [3, 4], { dtype: "f64" });
    const y = bn.forward(x);
    expect(y.dtype).toBe("f64");
    expect(bn.mean!.dtype).toBe("f32");
    const rows = [0, 1, 2].map((c) => [0, 1, 2, 3].map((j) => data[c + 3 * j]!));
    const wantMean = rows.map((r) => 0.1 * mean(r));
    const wantVar = rows.map((r) => 0.9 + 0.1 * pvar(r) * (4 / 3));
    for (const [c, v] of Array.from(bn.mean!.dataSync()).entries()) expect(v).toBeCloseTo(wantMean[c]!, 6);
    for (const [c, v] of Array.from(bn.var!.dataSync()).entries()) expect(v).toBeCloseTo(wantVar[c]!, 6);
    const out = Array.from(y.dataSync());
    for (const [c, r] of rows.entries()) {
      for (const [j, v] of r.entries()) {
        expect(out[c + 3 * j]).toBeCloseTo((v - mean(r)) / Math.sqrt(pvar(r) + 1e-5), 10);
      }
    }
  });

  test("InstanceNorm with tracked statistics on f64 input", () => {
    const m = trainmode(InstanceNorm(2, undefined, { trackStats: true, momentum: 0.5 }));
    const x = tensor(new Float64Array(data), [3, 2, 2], { dtype: "f64" });
    expect(m.forward(x).dtype).toBe("f64");
    // Channel c of observation n holds data[3c + 6n ..]; the running mean is 0.5 * the batch mean of them.
    const inst = (c: number, n: number) => data.slice(3 * c + 6 * n, 3 * c + 6 * n + 3);
    const want = [0, 1].map((c) => 0.5 * mean([mean(inst(c, 0)), mean(inst(c, 1))]));
    for (const [c, v] of Array.from(m.mean!.dataSync()).entries()) expect(v).toBeCloseTo(want[c]!, 6);
    expect(m.var!.dtype).toBe("f32");
  });
});
