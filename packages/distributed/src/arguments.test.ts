// The entry points name a wrong argument instead of a TypeError from inside ("Backend.create is not a
// function", "cannot read properties of null (reading 'size')"), and shareOf refuses counts that would
// give NaN or empty shares.
import { describe, expect, it } from "vitest";
import { DistributedArgumentError } from "./errors.js";
import { getDistributedBackend, initialize, localRank, totalWorkers } from "./initialize.js";
import { inProcessBackends } from "./testing/inProcessGroup.js";
import { shareOf } from "./tree/distributedDataContainer.js";

describe("initialize and the rank queries", () => {
  it.each([
    ["undefined", undefined, /got undefined/],
    ["a name", "mpi", /got "mpi"/],
    ["an object", {}, /got object/],
  ])("initialize(%s)", async (_what, Backend, message) => {
    const err = await initialize(Backend as never).catch((e) => e);
    expect(err).toBeInstanceOf(DistributedArgumentError);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/MPIBackend or ThreadsBackend/);
    expect(() => getDistributedBackend(Backend as never)).toThrow(DistributedArgumentError);
  });
  it("totalWorkers and localRank of something that is not a backend", () => {
    expect(() => totalWorkers(null as never)).toThrow(
      /totalWorkers\(b\): b must be the backend that initialize returned, got null/,
    );
    expect(() => localRank(undefined as never)).toThrow(DistributedArgumentError);
    const [b] = inProcessBackends(1);
    expect([totalWorkers(b!), localRank(b!)]).toEqual([1, 0]);
  });
});

describe("shareOf", () => {
  it.each([
    [10, 0, 0],
    [10, 2, 2],
    [10, 2, -1],
    [-1, 2, 0],
    [10.5, 2, 0],
    [10, 1.5, 0],
  ])("shareOf(%s, %s, %s)", (n, workers, rank) => {
    expect(() => shareOf(n, workers, rank)).toThrow(DistributedArgumentError);
  });
  it("still splits valid counts", () => {
    expect(shareOf(10, 4, 3)).toEqual([8, 10]);
    expect(shareOf(0, 3, 2)).toEqual([0, 0]);
  });
});
