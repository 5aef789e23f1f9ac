// A rank whose argument fails locally (a freed tensor, a Promise from a missing await) must still take its
// turn in the collective: otherwise the other ranks pair their call with this rank's NEXT collective and
// return that collective's data as theirs, without any error.
import { UnawaitedPromiseError } from "@flux/functors";
import { DisposedTensorError, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { allreduce, bcast, reduce } from "./collectives.js";
import { DistributedMismatchError } from "./errors.js";
import { onRanks } from "./testing/inProcessGroup.js";
import { averageGradients } from "./tree/averageGradients.js";
import { synchronize } from "./tree/synchronize.js";

const settle = async (p: () => Promise<unknown>) => {
  try {
    return await p();
  } catch (e) {
    return e;
  }
};

describe("a local argument failure keeps the ranks in step", () => {
  it("a freed tensor on one rank: it throws DisposedTensorError, the others a mismatch, and the next call pairs right", async () => {
    const out = await onRanks(2, async (b, r) => {
      const x = tensor([1, 2], [2]);
      if (r === 0) x.dispose();
      const first = await settle(() => allreduce(b, x, "sum"));
      const second = await allreduce(b, new Float32Array([10 * (r + 1), 1]), "sum");
      return { first, second: Array.from(second) };
    });
    expect(out[0]!.first).toBeInstanceOf(DisposedTensorError);
    expect(out[1]!.first).toBeInstanceOf(DistributedMismatchError);
    for (const o of out) expect(o.second).toEqual([30, 2]);
  });

  it("a freed leaf in a gradient tree", async () => {
    const out = await onRanks(2, async (b, r) => {
      const g = { w: tensor([1, 2], [2]) };
      if (r === 1) g.w.dispose();
      const first = await settle(() => averageGradients(b, g));
      const second = await allreduce(b, new Float64Array([r]), "sum");
      return { first, second: Array.from(second) };
    });
    expect(out[1]!.first).toBeInstanceOf(DisposedTensorError);
    expect(out[0]!.first).toBeInstanceOf(DistributedMismatchError);
    for (const o of out) expect(o.second).toEqual([1]);
  });

  it.each([
    ["allreduce", (b: never, x: never) => allreduce(b, x, "sum")],
    ["bcast", (b: never, x: never) => bcast(b, x)],
    ["reduce", (b: never, x: never) => reduce(b, x, "sum")],
    ["averageGradients", (b: never, x: never) => averageGradients(b, x)],
    ["synchronize", (b: never, x: never) => synchronize(b, x)],
  ])(
    "a Promise on one rank (%s): refused at once there, a mismatch elsewhere, the next call pairs right",
    async (_n, call) => {
      const out = await onRanks(2, async (b, r) => {
        const x = new Float32Array([1, 2]);
        const first = await settle(() => call(b as never, (r === 1 ? Promise.resolve(x) : x) as never));
        const second = await allreduce(b, new Float32Array([r + 1]), "max");
        return { first, second: Array.from(second) };
      });
      expect(out[1]!.first).toBeInstanceOf(UnawaitedPromiseError);
      expect(out[0]!.first).toBeInstanceOf(DistributedMismatchError);
      for (const o of out) expect(o.second).toEqual([2]);
    },
  );
});
