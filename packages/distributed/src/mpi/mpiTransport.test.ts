// The MPI transport's own logic on a fake libmpi: payloads in place on the caller's buffer, the exchange on a
// staged copy, the finish handshake that turns "a peer ended without joining this collective" into a named
// error, and the deadline.
import { describe, expect, it } from "vitest";
import type { CollectiveArray } from "../buffers.js";
import { DistributedPeerFinishedError, DistributedTimeoutError } from "../errors.js";
import type { MpiLibrary, MpiRequest } from "./library.js";
import { MpiTransport } from "./mpiTransport.js";

type FakeRequest = MpiRequest & { done: () => boolean };

/** A libmpi whose exchanges complete after `pollsToComplete` tests (never, for Infinity). */
function fakeMpi(size: number, pollsToComplete = 3) {
  const finished = new Map<number, number>(); // peer -> collectives it posted before finishing
  const posted: { fn: string; buf: CollectiveArray }[] = [];
  const sent: { dest: number; value: number }[] = [];
  const req = (done: () => boolean): FakeRequest => ({ handle: new BigUint64Array(1), done });
  const collective = (fn: string, buf: CollectiveArray) => {
    posted.push({ fn, buf });
    let polls = 0;
    return req(() => ++polls >= pollsToComplete);
  };
  const lib: MpiLibrary = {
    family: "openmpi",
    path: "fake",
    isInitialized: () => true,
    isFinalized: () => false,
    init: () => {},
    finalize: () => {},
    commRank: () => 0,
    commSize: () => size,
    iallreduce: (buf) => collective("iallreduce", buf),
    allreduce: (buf) => void posted.push({ fn: "allreduce", buf }),
    bcast: (buf) => void posted.push({ fn: "bcast", buf }),
    reduce: (buf) => void posted.push({ fn: "reduce", buf }),
    isend: (buf, dest) => {
      sent.push({ dest, value: buf[0] });
      return req(() => true);
    },
    irecv: (buf, source) =>
      req(() => {
        if (!finished.has(source)) return false;
        buf[0] = finished.get(source)!;
        return true;
      }),
    test: (r) => (r as FakeRequest).done(),
    yieldCore: () => false,
    abort: () => {},
  };
  return { lib, finished, posted, sent };
}

const opts = { abortOnUncaught: false };

describe("MpiTransport", () => {
  it("hands payloads of any size to MPI as they are (in place, no copy); the exchange travels staged", async () => {
    const { lib, posted, finished } = fakeMpi(2);
    const t = new MpiTransport(lib, 0, 2, opts);
    const big = new Float32Array(1024);
    const small = new Float32Array([1, 2]);
    await t.allreduce(big, "sum", "allreduce");
    await t.bcast(small, 0, "bcast");
    await t.reduce(big, "sum", 0, "reduce");
    expect(posted.map((p) => [p.fn, p.buf === big || p.buf === small])).toEqual([
      ["allreduce", true],
      ["bcast", true],
      ["reduce", true],
    ]);
    const table = new Float64Array([1, 2, 3]);
    await t.exchange(table, "allreduce (signature check)");
    expect(posted[3].fn).toBe("iallreduce");
    expect(posted[3].buf).not.toBe(table); // MPI keeps a nonblocking operation's address: a buffer we own
    expect(Array.from(posted[3].buf)).toEqual([1, 2, 3]);
    finished.set(1, 4); // let the exit handshake of this test's transport complete
  });

  it("fails, naming the rank and the collective, when a peer finished without joining it", async () => {
    const { lib, finished } = fakeMpi(3, Number.POSITIVE_INFINITY);
    const t = new MpiTransport(lib, 0, 3, opts);
    finished.set(2, 0); // rank 2 ended its script before any collective
    const started = performance.now();
    const e = await t.exchange(new Float64Array(8), "allreduce (signature check)").catch((x) => x);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(e).toBeInstanceOf(DistributedPeerFinishedError);
    expect(e.code).toBe("ERR_DISTRIBUTED_PEER_FINISHED");
    expect(e.finishedRank).toBe(2);
    expect(e.message).toMatch(/allreduce \(signature check\) on rank 0 can never complete: rank 2 finished/);
    // The pending collective cannot be cancelled: later calls fail the same way instead of hanging.
    await expect(t.exchange(new Float64Array(1), "bcast (signature check)")).rejects.toBe(e);
    await expect(t.bcast(new Float32Array(1), 0, "bcast")).rejects.toBe(e);
    finished.set(1, 0);
  });

  it("does not fail a collective the finished peer did join (it completes)", async () => {
    const { lib, finished } = fakeMpi(2, 1000);
    const t = new MpiTransport(lib, 0, 2, opts);
    finished.set(1, 1); // rank 1 posted this collective, then finished
    await expect(t.exchange(new Float64Array(4), "barrier (signature check)")).resolves.toBeUndefined();
    // ... but the next one it never posted fails before it is even posted.
    await expect(t.exchange(new Float64Array(4), "barrier (signature check)")).rejects.toThrow(
      DistributedPeerFinishedError,
    );
  });

  it("at its end tells every peer how many collectives it posted, and waits for theirs", async () => {
    const { lib, finished, sent } = fakeMpi(3);
    const t = new MpiTransport(lib, 0, 3, opts);
    await t.exchange(new Float64Array(24), "allreduce (signature check)");
    await t.allreduce(new Float64Array(600), "sum", "allreduce");
    finished.set(1, 2);
    finished.set(2, 2);
    await t.close();
    expect(sent).toEqual([
      { dest: 1, value: 2 },
      { dest: 2, value: 2 },
    ]);
  });

  it("waits 5 minutes by default; timeoutMs shortens it and Infinity removes it; bad values are refused", async () => {
    const { lib, finished } = fakeMpi(2, Number.POSITIVE_INFINITY);
    const t = new MpiTransport(lib, 0, 2, { ...opts, timeoutMs: 50 });
    const e = await t.exchange(new Float64Array(16), "allreduce (signature check)").catch((x) => x);
    expect(e).toBeInstanceOf(DistributedTimeoutError);
    expect(e.message).toMatch(/allreduce \(signature check\) on rank 0 did not complete within 50 ms/);
    expect(() => new MpiTransport(lib, 0, 2, { ...opts, timeoutMs: 0 })).toThrow(/positive number/);
    expect(() => new MpiTransport(lib, 0, 2, { ...opts, timeoutMs: -1 })).toThrow(/positive number/);
    finished.set(1, 0);
  });
});
