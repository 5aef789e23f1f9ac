// Collectives between worker threads through one SharedArrayBuffer: a control block (barrier + failure
// flag) and N + 1 equal regions (one per rank, plus a result region). Buffers larger than a region are
// processed in chunks, so the arena's size is fixed at launch.
import type { CollectiveArray } from "../buffers.js";
import { DistributedRankFailedError, DistributedTimeoutError } from "../errors.js";
import { combineInto } from "../ops.js";
import type { Transport, WireOp } from "../transport.js";

const CONTROL_BYTES = 64;
const ARRIVED = 0; // ranks arrived at the current barrier
const GENERATION = 1; // bumped by the last arrival; waiters sleep on it
const FAILED = 2; // 0, or (rank that failed) + 1, set by the launcher
// How long a waiting rank sleeps between checks of the failure flag and its deadline.
const WAIT_SLICE_MS = 50;

/** What a worker needs to join the arena (sent by the launcher). */
export interface ArenaInit {
  buffer: SharedArrayBuffer;
  rank: number;
  size: number;
  regionBytes: number;
  timeoutMs?: number;
}

/** Allocates an arena for `size` ranks with `regionBytes` per region (rounded up to 64). */
export function createArenaBuffer(
  size: number,
  regionBytes: number,
): { buffer: SharedArrayBuffer; regionBytes: number } {
  const region = Math.max(64, Math.ceil(regionBytes / 64) * 64);
  return { buffer: new SharedArrayBuffer(CONTROL_BYTES + region * (size + 1)), regionBytes: region };
}

/** Marks a rank as failed and wakes every waiter (called by the launcher when a worker dies). */
export function markRankFailed(buffer: SharedArrayBuffer, rank: number): void {
  const control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
  Atomics.compareExchange(control, FAILED, 0, rank + 1);
  Atomics.add(control, GENERATION, 1);
  Atomics.notify(control, GENERATION);
}

/** The rank recorded as failed in an arena, or -1. */
export function failedRank(buffer: SharedArrayBuffer): number {
  return Atomics.load(new Int32Array(buffer, 0, CONTROL_BYTES / 4), FAILED) - 1;
}

/** One worker's end of the arena. Blocks its thread in Atomics.wait at barriers (workers may). */
export class ArenaTransport implements Transport {
  readonly rank: number;
  readonly size: number;
  private readonly control: Int32Array;
  private readonly init: ArenaInit;

  constructor(init: ArenaInit) {
    this.init = init;
    this.rank = init.rank;
    this.size = init.size;
    this.control = new Int32Array(init.buffer, 0, CONTROL_BYTES / 4);
  }

  async allreduce(buf: CollectiveArray, op: WireOp, label: string): Promise<void> {
    this.reduceChunks(buf, op, label, () => true);
  }

  async reduce(buf: CollectiveArray, op: WireOp, root: number, label: string): Promise<void> {
    this.reduceChunks(buf, op, label, () => this.rank === root);
  }

  async bcast(buf: CollectiveArray, root: number, label: string): Promise<void> {
    const step = this.chunkLength(buf);
    for (let start = 0; start < buf.length || start === 0; start += step) {
      const part = buf.subarray(start, Math.min(buf.length, start + step));
      const result = this.view(buf, this.size, part.length);
      if (this.rank === root) result.set(part);
      this.barrier(label);
      if (this.rank !== root) part.set(result);
      this.barrier(label); // nobody may overwrite the result region before everyone has read it
      if (buf.length === 0) break;
    }
  }

  async close(): Promise<void> {}

  /**
   * Each rank publishes its chunk, then reduces its own 1/N of the elements across all ranks into the
   * result region (the work is split, not repeated), then the receivers copy the result out.
   */
  private reduceChunks(buf: CollectiveArray, op: WireOp, label: string, receives: () => boolean): void {
    const step = this.chunkLength(buf);
    for (let start = 0; start < buf.length || start === 0; start += step) {
      const part = buf.subarray(start, Math.min(buf.length, start + step));
      const n = part.length;
      this.view(buf, this.rank, n).set(part);
      this.barrier(label);
      const lo = Math.floor((n * this.rank) / this.size);
      const hi = Math.floor((n * (this.rank + 1)) / this.size);
      if (hi > lo) {
        const acc = this.view(buf, this.size, n).subarray(lo, hi);
        acc.set(this.view(buf, 0, n).subarray(lo, hi));
        for (let r = 1; r < this.size; r++) combineInto(acc, this.view(buf, r, n).subarray(lo, hi), op);
      }
      this.barrier(label);
      if (receives()) part.set(this.view(buf, this.size, n));
      this.barrier(label);
      if (buf.length === 0) break;
    }
  }

  private chunkLength(like: CollectiveArray): number {
    return Math.max(1, Math.floor(this.init.regionBytes / like.BYTES_PER_ELEMENT));
  }

  /** A typed view of `length` elements at the start of region `index` (ranks 0..N-1, then the result). */
  private view(like: CollectiveArray, index: number, length: number): CollectiveArray {
    const ctor = like.constructor as new (b: SharedArrayBuffer, o: number, n: number) => CollectiveArray;
    return new ctor(this.init.buffer, CONTROL_BYTES + index * this.init.regionBytes, length);
  }

  /** A reusable (generation-counting) barrier that also notices a failed rank and a deadline. */
  private barrier(label: string): void {
    const c = this.control;
    this.throwIfFailed();
    const generation = Atomics.load(c, GENERATION);
    if (Atomics.add(c, ARRIVED, 1) === this.size - 1) {
      Atomics.store(c, ARRIVED, 0);
      Atomics.add(c, GENERATION, 1);
      Atomics.notify(c, GENERATION);
      return;
    }
    const timeoutMs = this.init.timeoutMs;
    const deadline = timeoutMs ? Date.now() + timeoutMs : Number.POSITIVE_INFINITY;
    while (Atomics.load(c, GENERATION) === generation) {
      Atomics.wait(c, GENERATION, generation, WAIT_SLICE_MS);
      this.throwIfFailed();
      if (Date.now() > deadline) throw new DistributedTimeoutError(label, this.rank, timeoutMs!);
    }
  }

  private throwIfFailed(): void {
    const failed = Atomics.load(this.control, FAILED) - 1;
    if (failed >= 0) throw new DistributedRankFailedError(failed, "it threw or exited during the job");
  }
}
