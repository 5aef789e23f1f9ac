import { tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { allreduce, bcast, reduce } from "./collectives.js";
import { DistributedArgumentError, DistributedMismatchError } from "./errors.js";
import { onRanks } from "./testing/inProcessGroup.js";

describe("collectives (4 in-process ranks)", () => {
  it("allreduce avg mutates a typed array in place and returns it", async () => {
    const out = await onRanks(4, async (b, r) => {
      const x = new Float32Array([r, 2 * r]);
      const y = await allreduce(b, x, "avg");
      expect(y).toBe(x);
      return Array.from(y);
    });
    for (const o of out) expect(o).toEqual([1.5, 3]);
  });

  it("on tensors returns a new tensor of the same shape and dtype, leaving the input as it was", async () => {
    const out = await onRanks(3, async (b, r) => {
      const t = tensor(new Float32Array([r, 1, 2, r]), [2, 2]);
      const s = await allreduce(b, t, "max");
      expect(s).not.toBe(t);
      expect(Array.from(await t.data())).toEqual([r, 1, 2, r]);
      return { shape: s.shape, dtype: s.dtype, data: Array.from(await s.data()) };
    });
    for (const o of out) expect(o).toEqual({ shape: [2, 2], dtype: "f32", data: [2, 1, 2, 2] });
  });

  it("bcast and reduce honour root; reduce leaves non-roots alone", async () => {
    const out = await onRanks(3, async (b, r) => {
      const x = await bcast(b, new Int32Array([r * 10]), { root: 2 });
      const y = await reduce(b, new Float64Array([r + 1]), "sum", { root: 1 });
      return [x[0], y[0]];
    });
    expect(out).toEqual([
      [20, 1],
      [20, 6],
      [20, 3],
    ]);
  });

  it("a mismatch throws our error on every rank; a bad root throws on every rank", async () => {
    const mism = await onRanks(2, (b, r) => allreduce(b, new Float32Array(2 + r), "sum").catch((e) => e));
    for (const e of mism) expect(e).toBeInstanceOf(DistributedMismatchError);
    const roots = await onRanks(2, (b) => bcast(b, new Float32Array(1), { root: 5 }).catch((e) => e));
    for (const e of roots) expect(e).toBeInstanceOf(DistributedArgumentError);
  });

  it("rejects things that are neither typed arrays nor tensors", async () => {
    const [e] = await onRanks(1, (b) => allreduce(b, [1, 2] as never, "sum").catch((err) => err));
    expect(e).toBeInstanceOf(DistributedArgumentError);
    expect(String(e.message)).toMatch(/pass a typed array/);
  });
});
