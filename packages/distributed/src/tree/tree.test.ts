import { UnawaitedPromiseError } from "@flux/functors";
import { type Tensor, gradient, mul, sum, tensor } from "@flux/kernels";
import { Adam, Descent, setup, updateInPlace } from "@flux/optim";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DistributedMismatchError } from "../errors.js";
import { inProcessTransports, onRanks } from "../testing/inProcessGroup.js";
import { ThreadsBackend } from "../threads/threadsBackend.js";
import type { Transport } from "../transport.js";
import { averageGradients } from "./averageGradients.js";
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
      const d = DistributedDataContainer(b, {
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

  it("refuses a Promise of a dataset (an un-awaited loader) with a named error", async () => {
    const [b] = inProcessTransports(1).map((t) => new ThreadsBackend(t));
    expect(() => DistributedDataContainer(b, Promise.resolve([1, 2]))).toThrow(UnawaitedPromiseError);
  });

  it("uses a container's own numobs/getobs, and rejects an index outside the share", async () => {
    const data = { numobs: () => 4, getobs: (i: number) => `obs${i}` };
    const [a, b] = await onRanks(2, async (be) => DistributedDataContainer<string>(be, data));
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
      const s = await synchronize(b, FluxDistributedModel(model), { root: 1 });
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

/** Backends of one in-process group whose transports count the transfers they make. */
function countingGroup(n: number): { backends: ThreadsBackend[]; calls: string[][] } {
  const calls: string[][] = Array.from({ length: n }, () => []);
  const backends = inProcessTransports(n).map((t, r) => {
    const counted: Transport = {
      rank: t.rank,
      size: t.size,
      exchange: (table, label) => {
        calls[r].push(`exchange ${label} ${table.length}`);
        return t.exchange(table, label);
      },
      allreduce: (buf, op, label) => {
        calls[r].push(`allreduce ${label} ${buf.length}`);
        return t.allreduce(buf, op, label);
      },
      bcast: (buf, root, label) => {
        calls[r].push(`bcast ${label} ${buf.length}`);
        return t.bcast(buf, root, label);
      },
      reduce: (buf, op, root, label) => {
        calls[r].push(`reduce ${label}`);
        return t.reduce(buf, op, root, label);
      },
      close: () => t.close(),
    };
    return new ThreadsBackend(counted);
  });
  return { backends, calls };
}

const values = async (t: unknown) => Array.from(await (t as Tensor).data());

describe("averageGradients", () => {
  it("averages a whole gradient tree with ONE flat allreduce after ONE check, keeping nulls and ties", async () => {
    const { backends, calls } = countingGroup(3);
    const out = await Promise.all(
      backends.map(async (b, r) => {
        const grad = {
          layers: [
            {
              weight: tensor(new Float32Array(6).fill(r), [2, 3]),
              bias: tensor(new Float32Array([r, 2 * r]), [2]),
            },
            { scale: new Float32Array([3 * r]), unused: null, name: "head" },
          ],
        };
        const avg = await averageGradients(b, grad);
        expect(avg.layers[1].scale).toBe(grad.layers[1].scale); // typed arrays in place
        return {
          w: await values(avg.layers[0].weight),
          shape: (avg.layers[0].weight as Tensor).shape,
          bias: await values(avg.layers[0].bias),
          scale: Array.from(avg.layers[1].scale as Float32Array),
          rest: [avg.layers[1].unused, avg.layers[1].name],
          input: await values(grad.layers[0].bias),
        };
      }),
    );
    for (const [r, o] of out.entries())
      expect(o).toEqual({
        w: [1, 1, 1, 1, 1, 1],
        shape: [2, 3],
        bias: [1, 2],
        scale: [3],
        rest: [null, "head"],
        input: [r, 2 * r], // the input tensors are left as they were
      });
    for (const c of calls)
      expect(c).toEqual(["exchange allreduce (signature check) 24", "allreduce averageGradients 9"]);
  });

  it("averages what kernels' gradient returns; a tied gradient stays one tensor; no gradient stays null", async () => {
    const out = await onRanks(2, async (b, r) => {
      const shared = tensor(new Float32Array([1 + r, 2]), [2]);
      const model = {
        first: { w: shared },
        second: { w: shared },
        unused: tensor(new Float32Array([9]), [1]),
      };
      const c = tensor(new Float32Array([r, 1]), [2]);
      const [g] = gradient((m: typeof model) => sum(mul(m.first.w, c)), model);
      const avg = (await averageGradients(b, g)) as {
        first: { w: Tensor };
        second: { w: Tensor };
        unused: unknown;
      };
      return { tied: avg.first.w === avg.second.w, w: await values(avg.first.w), unused: avg.unused };
    });
    for (const o of out) expect(o).toEqual({ tied: true, w: [0.5, 1], unused: null });
  });

  it("averages a tree of several dtypes, one flat buffer per dtype, each leaf getting its own values", async () => {
    const { backends, calls } = countingGroup(2);
    const out = await Promise.all(
      backends.map(async (b, r) => {
        const f = (n: number, v: number) => tensor(new Float32Array(n).fill(v), [n]);
        const d = (n: number, v: number) => tensor(new Float64Array(n).fill(v), [n]);
        const avg = await averageGradients(b, [f(2, r), d(2, 10 * r), f(3, 100 * r), d(1, 1000 * r)]);
        return Promise.all(avg.map((t) => values(t)));
      }),
    );
    for (const o of out) expect(o).toEqual([[0.5, 0.5], [5, 5], [50, 50, 50], [500]]);
    for (const c of calls)
      expect(c.filter((x) => !x.includes("signature"))).toEqual([
        "allreduce averageGradients 5",
        "allreduce averageGradients 3",
      ]);
  });

  it("refuses trees that differ between ranks, on every rank, before any data moves", async () => {
    const out = await onRanks(2, (b, r) =>
      averageGradients(b, { w: tensor(new Float32Array(6), r === 0 ? [2, 3] : [3, 2]) }).catch((e) => e),
    );
    for (const e of out) {
      expect(e).toBeInstanceOf(DistributedMismatchError);
      expect(e.message).toMatch(/rank 0: shape \[2, 3\]; rank 1: shape \[3, 2\]/);
    }
  });

  it("refuses a Promise (an un-awaited device move) with a named error", async () => {
    const [b] = inProcessTransports(1).map((t) => new ThreadsBackend(t));
    expect(() => averageGradients(b, Promise.resolve({}))).toThrow(UnawaitedPromiseError);
  });
});

describe("synchronize (one check, one transfer per dtype)", () => {
  it("broadcasts a whole model's f32 leaves as one buffer and its numbers as another", async () => {
    const { backends, calls } = countingGroup(2);
    await Promise.all(
      backends.map((b, r) =>
        synchronize(b, {
          a: tensor(new Float32Array([r, r]), [2]),
          b: new Float32Array([r]),
          lr: r,
          eps: 2 * r,
        }),
      ),
    );
    for (const c of calls)
      expect(c).toEqual([
        "exchange bcast (signature check) 16",
        "bcast synchronize 3",
        "bcast synchronize 2",
      ]);
  });

  it("refuses a Promise", async () => {
    const [b] = inProcessTransports(1).map((t) => new ThreadsBackend(t));
    await expect(synchronize(b, Promise.resolve({}))).rejects.toThrow(UnawaitedPromiseError);
  });
});

describe("DistributedOptimizer", () => {
  it("update(state, model, grad) is updateInPlace with the averaged gradient (one flat allreduce)", async () => {
    const { backends, calls } = countingGroup(4);
    const out = await Promise.all(
      backends.map(async (b, r) => {
        const model = { w: tensor(new Float32Array([1, 2]), [2]), b: tensor(new Float32Array([0.5]), [1]) };
        const opt = DistributedOptimizer(b, Descent(0.5));
        const state = opt.setup(model);
        const grad = { w: tensor(new Float32Array([r, -2 * r]), [2]), b: tensor(new Float32Array([1]), [1]) };
        const [s, m] = await opt.update(state, model, grad);
        expect([s, m]).toEqual([state, model]);
        return [...(await values(model.w)), ...(await values(model.b))];
      }),
    );
    // averaged: w' = [1.5, -3], b' = [1]; Descent(0.5): w - 0.5 * g
    for (const o of out) expect(o).toEqual([1 - 0.75, 2 + 1.5, 0]);
    for (const c of calls)
      expect(c.filter((x) => !x.includes("signature"))).toEqual(["allreduce averageGradients 3"]);
  });

  it("matches optim's Adam on the averaged gradient, step after step", async () => {
    const grad = (r: number, k: number) => ({ w: tensor(new Float32Array([r + 1 + k, -r * k, 0.5]), [3]) });
    const ranks = 3;
    const out = await onRanks(ranks, async (b, r) => {
      const model = { w: tensor(new Float32Array([1, 2, 3]), [3]) };
      const opt = DistributedOptimizer(b, Adam(0.1));
      const state = opt.setup(model);
      for (let k = 0; k < 3; k++) await opt.update(state, model, grad(r, k));
      return values(model.w);
    });
    const model = { w: tensor(new Float32Array([1, 2, 3]), [3]) };
    const state = setup(Adam(0.1), model);
    for (let k = 0; k < 3; k++) {
      const avg = new Float32Array(3);
      for (let r = 0; r < ranks; r++) {
        const g = await values(grad(r, k).w);
        for (let i = 0; i < 3; i++) avg[i] += g[i] / ranks;
      }
      updateInPlace(state, model, { w: tensor(avg, [3]) });
    }
    const want = await values(model.w);
    for (const o of out) for (let i = 0; i < 3; i++) expect(o[i]).toBeCloseTo(want[i], 6);
  });

  it("apply(state, x, dx) averages one gradient before the rule, as Flux's apply!", async () => {
    const steps = await onRanks(4, async (b, r) => {
      const opt = DistributedOptimizer(b, Descent(0.5));
      const x = tensor(new Float32Array([0, 0]), [2]);
      const [, step] = await opt.apply(opt.init(x), x, tensor(new Float32Array([r, -2 * r]), [2]));
      return values(step);
    });
    for (const s of steps) expect(s).toEqual([0.75, -1.5]);
  });

  it("refuses what is not a rule, and Promises", async () => {
    const [b] = inProcessTransports(1).map((t) => new ThreadsBackend(t));
    expect(() => DistributedOptimizer(b, {} as never)).toThrow(/must be a @flux\/optim rule/);
    const opt = DistributedOptimizer(b, Descent());
    expect(() => opt.setup(Promise.resolve({}))).toThrow(UnawaitedPromiseError);
    await expect(opt.update({}, {}, Promise.resolve({}))).rejects.toThrow(UnawaitedPromiseError);
  });
});
