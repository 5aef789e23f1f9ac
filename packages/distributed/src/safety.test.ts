import { describe, expect, it } from "vitest";
import { DistributedMismatchError } from "./errors.js";
import { checkSignatures, findMismatch } from "./safety.js";
import { inProcessTransports } from "./testing/inProcessGroup.js";

const sig = (length: number, op = 1, root = 0) =>
  ({ collective: "allreduce", length, dtypeCode: 1, opCode: op, root }) as const;

describe("signature check", () => {
  it("passes when every rank brings the same signature", async () => {
    const ts = inProcessTransports(3);
    await expect(Promise.all(ts.map((t) => checkSignatures(t, sig(5))))).resolves.toBeDefined();
  });

  it("throws on every rank, naming each rank's length", async () => {
    const ts = inProcessTransports(3);
    const results = await Promise.allSettled(ts.map((t) => checkSignatures(t, sig(3 + t.rank))));
    for (const r of results) {
      expect(r.status).toBe("rejected");
      const e = (r as PromiseRejectedResult).reason as DistributedMismatchError;
      expect(e).toBeInstanceOf(DistributedMismatchError);
      expect(e.code).toBe("ERR_DISTRIBUTED_MISMATCH");
      expect(e.message).toContain("rank 0: length 3; rank 1: length 4; rank 2: length 5");
      expect(e.signatures.map((s) => s.length)).toEqual([3, 4, 5]);
    }
  });

  it("decodes op and root differences by name", () => {
    const table = new Float64Array([1, 4, 1, 1, 0, 1, 4, 1, 3, 0]);
    const m = findMismatch(table, 2)!;
    expect(m[1].op).toBe("max");
    expect(new DistributedMismatchError("allreduce", m).message).toMatch(
      /disagree on op \(rank 0: op sum; rank 1: op max\)/,
    );
    expect(findMismatch(new Float64Array([1, 4, 1, 1, 0, 1, 4, 1, 1, 0]), 2)).toBeNull();
  });
});
