import { describe, expect, it } from "vitest";
import { DistributedMismatchError } from "./errors.js";
import { checkSignatures, findMismatch, hashNumbers } from "./safety.js";
import { inProcessTransports } from "./testing/inProcessGroup.js";

const sig = (shape: number[], op = 1, root = 0) =>
  ({
    collective: "allreduce",
    length: shape.reduce((a, b) => a * b, 1),
    opCode: op,
    root,
    leaves: [{ dtypeCode: 1, shape }],
  }) as const;

const rejections = async (ps: Promise<unknown>[]) =>
  (await Promise.allSettled(ps)).map((r) => {
    expect(r.status).toBe("rejected");
    return (r as PromiseRejectedResult).reason as DistributedMismatchError;
  });

describe("signature check", () => {
  it("passes when every rank brings the same signature", async () => {
    const ts = inProcessTransports(3);
    await expect(Promise.all(ts.map((t) => checkSignatures(t, sig([5]))))).resolves.toBeDefined();
  });

  it("throws on every rank, naming each rank's length", async () => {
    const ts = inProcessTransports(3);
    for (const e of await rejections(ts.map((t) => checkSignatures(t, sig([3 + t.rank]))))) {
      expect(e).toBeInstanceOf(DistributedMismatchError);
      expect(e.code).toBe("ERR_DISTRIBUTED_MISMATCH");
      expect(e.message).toContain(
        "rank 0: length 3, shape [3]; rank 1: length 4, shape [4]; rank 2: length 5",
      );
      expect(e.signatures.map((s) => s.length)).toEqual([3, 4, 5]);
    }
  });

  it("compares shapes, not only lengths: [2, 4] against [4, 2] is a mismatch, named on every rank", async () => {
    const ts = inProcessTransports(2);
    const shapes = [
      [2, 4],
      [4, 2],
    ];
    for (const e of await rejections(ts.map((t) => checkSignatures(t, sig(shapes[t.rank]))))) {
      expect(e).toBeInstanceOf(DistributedMismatchError);
      expect(e.message).toContain("disagree on shape (rank 0: shape [2, 4]; rank 1: shape [4, 2])");
    }
  });

  it("names the leaves of trees that differ", async () => {
    const ts = inProcessTransports(2);
    const leaves = [
      [
        { dtypeCode: 1, shape: [3, 2] },
        { dtypeCode: 1, shape: [3] },
      ],
      [
        { dtypeCode: 1, shape: [2, 3] },
        { dtypeCode: 1, shape: [3] },
      ],
    ];
    const out = await rejections(
      ts.map((t) =>
        checkSignatures(t, {
          collective: "allreduce",
          length: 9,
          opCode: 2,
          root: 0,
          leaves: leaves[t.rank],
        }),
      ),
    );
    expect(out[0].message).toContain("rank 0: shape {[3, 2] [3]}; rank 1: shape {[2, 3] [3]}");
  });

  it("decodes op and root differences by name", () => {
    const row = (op: number) => [1, 4, 1, op, 0, 1, 3, 77];
    const m = findMismatch(new Float64Array([...row(1), ...row(3)]), 2)!;
    expect(m[1].op).toBe("max");
    expect(new DistributedMismatchError("allreduce", m).message).toMatch(
      /disagree on op \(rank 0: op sum; rank 1: op max\)/,
    );
    expect(findMismatch(new Float64Array([...row(1), ...row(1)]), 2)).toBeNull();
  });

  it("hashes shapes exactly in an f64, order-sensitively", () => {
    const h = hashNumbers([1, 2, 2, 4]);
    expect(Number.isSafeInteger(h)).toBe(true);
    expect(h).not.toBe(hashNumbers([1, 2, 4, 2]));
    expect(hashNumbers([])).not.toBe(hashNumbers([0]));
  });
});
