import { describe, expect, it } from "vitest";
import { allreduce } from "./collectives.js";
import { DistributedNotInitializedError } from "./errors.js";
import { getDistributedBackend, initialize, initialized, localRank, totalWorkers } from "./initialize.js";
import { MPIBackend } from "./mpi/mpiBackend.js";
import { ThreadsBackend } from "./threads/threadsBackend.js";

describe("initialize", () => {
  it("getDistributedBackend before initialize throws a named error", () => {
    expect(initialized(MPIBackend)).toBe(false);
    expect(() => getDistributedBackend(MPIBackend)).toThrow(DistributedNotInitializedError);
    expect(() => getDistributedBackend(MPIBackend)).toThrow(/await initialize\(MPIBackend\)/);
  });

  it("ThreadsBackend outside launchThreads is a one-rank job, started once", async () => {
    const b = await initialize(ThreadsBackend);
    expect(await initialize(ThreadsBackend)).toBe(b);
    expect(getDistributedBackend(ThreadsBackend)).toBe(b);
    expect([localRank(b), totalWorkers(b)]).toEqual([0, 1]);
    expect(String(b)).toBe("ThreadsBackend(rank 0 of 1)");
    expect(Array.from(await allreduce(b, new Float32Array([3]), "avg"))).toEqual([3]);
  });
});
