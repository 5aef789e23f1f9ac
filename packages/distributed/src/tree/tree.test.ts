import { tensor } from "@flux/kernels";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { onRanks } from "../testing/inProcessGroup.js";
import { DistributedDataContainer, shareOf } from "./distributedDataContainer.js";
import { DistributedOptimizer } from "./distributedOptimizer.js";
import { FluxDistributedModel } from "./fluxDistributedModel.js";
import { synchronize } from "./synchronize.js";

class Dense {
  constructor(
    public weight: unknown,
    public bias: Float32Array,
  ) {}
}

describe("shareOf", () => {
  it("gives contiguous shares, differing by at most one, that cover 0..n-1 exactly once", () => {
    fc.assert(
      fc.property(fc.nat(200), fc.integer({ min: 1, max: 17 }), (n, w) => {
        let next = 0;
        const sizes: number[] = [];
        for (let r = 0; r < w; r++) {
          const [start, stop] = shareOf(n, w, r);
          expect(start).toBe(next);
          next = stop;
          sizes.push(stop - start);
        }
        expect(next).toBe(n);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("DistributedDataContainer", () => {
  it("serves this rank's observations of arrays, typed arrays and objects of them", async () => {
    const shards = await onRanks(3, async (b) => {
      const d = new DistributedDataContainer(b, {
        x: [10, 11, 12, 13, 14, 15, 16],
        y: new Int32Array(7).map((_, i) => i),
      });
      return { n: d.numobs(), first: d.getobs(0), all: [...d], two: d.getobs([0, 1]) };
    });
    expect(shards.map((s) => s.n)).toEqual([3, 2, 2]);
    expect(shards[1].first).toEqual({ x: 13, y: 3 });
    expect(shards[2].all).toEqual([
      { x: 15, y: 5 },
      { x: 16, y: 6 },
    ]);
    expect(shards[0].two).toHaveLength(2);
  });

  it("uses a container's own numobs/getobs, and rejects an index outside the share", async () => {
    const data = { numobs: () => 4, getobs: (i: number) => `obs${i}` };
    const [a, b] = await onRanks(2, async (be) => new DistributedDataContainer<string>(be, data));
    expect([...b]).toEqual(["obs2", "obs3"]);
    expect(() => a.getobs(2)).toThrow(/outside this rank's share/);
  });
});

describe("synchronize", () => {
  it("gives every rank root's leaves, keeps classes and ties, and replaces tensors", async () => {
    const out = await onRanks(3, async (b, r) => {
      const shared = new Float32Array([r]);
      const model = {
        dense: new Dense(tensor(new Float32Array([r, r]), [2]), shared),
        tied: shared,
        lr: 0.1 * r,
        name: `rank${r}`,
      };
      const s = await synchronize(b, new FluxDistributedModel(model), { root: 1 });
      return {
        isDense: s.dense instanceof Dense,
        tied: s.tied === s.dense.bias,
        w: Array.from(await (s.dense.weight as { data(): Promise<Float32Array> }).data()),
        bias: Array.from(s.dense.bias),
        lr: s.lr,
        name: s.name,
      };
    });
    for (const [r, o] of out.entries())
      expect(o).toEqual({ isDense: true, tied: true, w: [1, 1], bias: [1], lr: 0.1, name: `rank${r}` });
  });
});

describe("DistributedOptimizer", () => {
  it("averages the gradient over workers before the rule (Descent)", async () => {
    const descent = {
      init: () => null,
      apply: (s: null, _x: Float64Array, dx: Float64Array): [null, Float64Array] => [
        s,
        dx.map((g) => 0.5 * g),
      ],
    };
    const steps = await onRanks(4, async (b, r) => {
      const opt = new DistributedOptimizer(b, descent);
      const x = new Float64Array([0, 0]);
      const [, step] = await opt.apply(opt.init(x), x, new Float64Array([r, -2 * r]));
      return Array.from(step);
    });
    for (const s of steps) expect(s).toEqual([0.75, -1.5]);
  });
});
