// N ranks in one thread, for unit tests: each collective waits until all N virtual ranks arrived, then
// performs the operation on their buffers at once. Not exported from the package.
import { ThreadsBackend } from "../threads/threadsBackend.js";
import type { CollectiveArray } from "../buffers.js";
import { combineInto } from "../ops.js";
import type { Transport, WireOp } from "../transport.js";

type Arrival = { buf: CollectiveArray; kind: string; op?: WireOp; root: number; done: () => void };

/** Creates `n` transports of one in-process group (call their collectives concurrently, one per rank). */
export function inProcessTransports(n: number): Transport[] {
  let round: (Arrival | undefined)[] = new Array(n);
  let arrived = 0;
  const finish = () => {
    const all = round as Arrival[];
    round = new Array(n);
    arrived = 0;
    const { kind, op, root } = all[0];
    if (kind === "bcast") for (const a of all) a.buf.set(all[root].buf);
    else {
      const acc = all[0].buf.slice();
      for (const a of all.slice(1)) combineInto(acc, a.buf, op!);
      for (const [r, a] of all.entries()) if (kind === "allreduce" || r === root) a.buf.set(acc);
    }
    for (const a of all) a.done();
  };
  const arrive = (rank: number, a: Omit<Arrival, "done">) =>
    new Promise<void>((done) => {
      round[rank] = { ...a, done };
      if (++arrived === n) finish();
    });
  return Array.from({ length: n }, (_, rank) => ({
    rank,
    size: n,
    exchange: (buf: Float64Array) => arrive(rank, { buf, kind: "allreduce", op: "sum", root: 0 }),
    allreduce: (buf: CollectiveArray, op: WireOp) => arrive(rank, { buf, kind: "allreduce", op, root: 0 }),
    bcast: (buf: CollectiveArray, root: number) => arrive(rank, { buf, kind: "bcast", root }),
    reduce: (buf: CollectiveArray, op: WireOp, root: number) =>
      arrive(rank, { buf, kind: "reduce", op, root }),
    close: async () => {},
  }));
}

/** `n` backends of one in-process group. */
export function inProcessBackends(n: number): ThreadsBackend[] {
  return inProcessTransports(n).map((t) => new ThreadsBackend(t));
}

/** Runs `f(backend)` on every rank of a fresh group concurrently and returns the per-rank results. */
export function onRanks<R>(n: number, f: (b: ThreadsBackend, rank: number) => Promise<R>): Promise<R[]> {
  return Promise.all(inProcessBackends(n).map((b, r) => f(b, r)));
}
