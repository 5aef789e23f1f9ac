// The arena's waits, from one rank's side (a second rank in this thread would block it): a finished peer, a
// failed peer and the deadline each end a wait with a named error instead of a hang.
import { describe, expect, it } from "vitest";
import {
  DistributedPeerFinishedError,
  DistributedRankFailedError,
  DistributedTimeoutError,
} from "../errors.js";
import { ArenaTransport, createArenaBuffer, markRankFailed, markRankFinished } from "./arena.js";

function rank0of(size: number, timeoutMs = 300_000) {
  const { buffer, memory, regionBytes } = createArenaBuffer(size, 4096);
  return { buffer, t: new ArenaTransport({ buffer, memory, rank: 0, size, regionBytes, timeoutMs }) };
}

describe("ArenaTransport waits", () => {
  it("a rank waiting for a peer whose script already ended fails at once, naming it and the collective", async () => {
    const { buffer, t } = rank0of(3);
    markRankFinished(buffer, 2);
    const started = performance.now();
    const e = await t.allreduce(new Float32Array(4), "sum", "allreduce (signature check)").catch((x) => x);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(e).toBeInstanceOf(DistributedPeerFinishedError);
    expect(e.message).toMatch(/allreduce \(signature check\) on rank 0 can never complete: rank 2 finished/);
  });

  it("a failed peer and the deadline end a wait too", async () => {
    const failed = rank0of(2);
    markRankFailed(failed.buffer, 1);
    await expect(failed.t.bcast(new Float32Array(4), 1, "bcast")).rejects.toThrow(DistributedRankFailedError);
    const slow = rank0of(2, 120);
    const e = await slow.t.allreduce(new Float32Array(4), "sum", "allreduce").catch((x) => x);
    expect(e).toBeInstanceOf(DistributedTimeoutError);
    expect(e.message).toMatch(/did not complete within 120 ms/);
  });

  it("folds the signature exchange into the allreduce's first phase; a disagreement leaves the buffer alone", async () => {
    const { t } = rank0of(1);
    const x = Float32Array.from({ length: 2500 }, (_, i) => i); // 10 KB: the first chunk rides with the table
    const table = new Float64Array([1, 2, 3]);
    expect(await t.exchangeThenAllreduce(table, x, "sum", "allreduce", () => true)).toBe(true);
    expect([x[0], x[2499], table[2]]).toEqual([0, 2499, 3]);
    const y = new Float32Array([5, 6]);
    const seen: number[] = [];
    const ran = await t.exchangeThenAllreduce(table, y, "sum", "allreduce", (tb) => {
      seen.push(...tb);
      return false;
    });
    expect([ran, Array.from(y), seen]).toEqual([false, [5, 6], [1, 2, 3]]);
    // A table too large for a header slot goes through the data regions.
    const big = Float64Array.from({ length: 700 }, (_, i) => i);
    await t.exchange(big, "allreduce (shape report)");
    expect(big[699]).toBe(699);
  });

  it("one rank alone reduces and broadcasts through both banks, in chunks", async () => {
    const { t } = rank0of(1);
    const x = Float64Array.from({ length: 1500 }, (_, i) => i); // 12 KB: three 4 KiB chunks
    await t.allreduce(x, "max", "allreduce");
    await t.bcast(x, 0, "bcast");
    await t.reduce(x, "sum", 0, "reduce");
    expect(x[1499]).toBe(1499);
    expect(x[700]).toBe(700);
  });
});
