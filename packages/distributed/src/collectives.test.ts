import { UnawaitedPromiseError } from "@flux/functors";
import { tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { allreduce, barrier, bcast, reduce } from "./collectives.js";
import { DistributedArgumentError, DistributedMismatchError } from "./errors.js";
import { inProcessBackends, onRanks } from "./testing/inProcessGroup.js";

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

  it("compares shapes: [2, 4] on rank 0 and [4, 2] on rank 1 are not summed", async () => {
    const out = await onRanks(2, (b, r) =>
      allreduce(b, tensor(new Float32Array(8).fill(1), r === 0 ? [2, 4] : [4, 2]), "sum").catch((e) => e),
    );
    for (const e of out) {
      expect(e).toBeInstanceOf(DistributedMismatchError);
      expect(e.message).toMatch(/disagree on shape \(rank 0: shape \[2, 4\]; rank 1: shape \[4, 2\]\)/);
    }
  });

  it("refuses avg on integer data on every rank (it would truncate 1.5 to 1); sum still works", async () => {
    for (const make of [
      (r: number) => new Int32Array([r + 1]),
      (r: number) => tensor(new Int32Array([r + 1]), [1]),
    ]) {
      const out = await onRanks(2, (b, r) => allreduce(b, make(r), "avg").catch((e) => e));
      for (const e of out) {
        expect(e).toBeInstanceOf(DistributedArgumentError);
        expect(e.message).toMatch(/"avg" on i32 data would truncate/);
      }
    }
    const red = await onRanks(2, (b, r) => reduce(b, new Uint8Array([r]), "avg").catch((e) => e));
    for (const e of red) expect(e).toBeInstanceOf(DistributedArgumentError);
    const sums = await onRanks(2, (b, r) => allreduce(b, new Int32Array([r + 1]), "sum"));
    for (const s of sums) expect(Array.from(s)).toEqual([3]);
  });

  it("a bad argument on ONE rank fails every rank, and the group stays usable", async () => {
    const out = await onRanks(3, (b, r) =>
      allreduce(b, r === 1 ? (new BigInt64Array(2) as never) : new Float32Array(2), "sum").catch((e) => e),
    );
    expect(out[1]).toBeInstanceOf(DistributedArgumentError);
    for (const r of [0, 2]) {
      expect(out[r]).toBeInstanceOf(DistributedMismatchError);
      expect(out[r].message).toMatch(
        /dtype unsupported[\s\S]*Rank 1 passed an argument a collective cannot carry/,
      );
    }
    const after = await onRanks(3, (b) => allreduce(b, new Float32Array([1]), "sum"));
    for (const a of after) expect(Array.from(a)).toEqual([3]);
  });

  it("a tensor whose dtype cannot travel is named", async () => {
    const fake = { shape: [2], dtype: "f16", data: async () => new Uint16Array(2) };
    const [e] = await onRanks(1, (b) => allreduce(b, fake, "sum").catch((err) => err));
    expect(e).toBeInstanceOf(DistributedArgumentError);
    expect(e.message).toMatch(/tensor of dtype f16/);
  });

  it("a Promise where a buffer belongs is refused at once: did you forget await?", async () => {
    const [b] = inProcessBackends(1);
    const p = Promise.resolve(new Float32Array(1));
    for (const call of [
      () => allreduce(b, p as never, "sum"),
      () => bcast(b, p as never),
      () => reduce(b, p as never, "sum"),
    ])
      expect(call).toThrow(UnawaitedPromiseError);
    expect(() => allreduce(b, p as never, "sum")).toThrow(/did you forget `await`/);
    await barrier(b);
  });
});
