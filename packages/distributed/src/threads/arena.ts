// Collectives between worker threads through one SharedArrayBuffer: a control block (barrier, failure and
// finish flags), then two banks, each with one small header slot per rank (the signature exchange) and
// N + 1 equal data regions (one per rank, plus a result region). Successive phases alternate banks, so a
// phase never overwrites what a slower rank may still be reading from the previous one, without a closing
// barrier. Buffers larger than a region go through in chunks (one phase each), so the arena's size is fixed
// at launch. An allreduce carries its signature and its first chunk in the same phase: one collective,
// two barriers.
import type { CollectiveArray } from "../buffers.js";
import {
  DistributedPeerFinishedError,
  DistributedRankFailedError,
  DistributedTimeoutError,
} from "../errors.js";
import { combineInto, combinePair } from "../ops.js";
import type { Transport, WireOp } from "../transport.js";
import { type SumKernel, sharedMemory, sumKernels } from "./simd.js";

const CONTROL_BYTES = 64;
const ARRIVED = 0; // ranks arrived at the current barrier
const GENERATION = 1; // bumped by the last arrival; waiters sleep on it
const FAILED = 2; // 0, or (rank that failed) + 1, set by the launcher
const FINISHED = 3; // 0, or (first rank whose script ended normally) + 1, set by the launcher
// How long a waiting rank sleeps between checks of the flags and its deadline.
const WAIT_SLICE_MS = 50;
// Checks of the barrier before a waiter goes to sleep: a wake-up from Atomics.wait costs tens of
// microseconds, while the other ranks of a small collective usually arrive within a few.
const SPIN_CHECKS = 2000;

/** What a worker needs to join the arena (sent by the launcher). */
export interface ArenaInit {
  buffer: SharedArrayBuffer;
  rank: number;
  size: number;
  regionBytes: number;
  /** The deadline of every collective, ms (`Infinity`: none). */
  timeoutMs: number;
  /** The shared wasm memory whose buffer `buffer` is, when there is one: the sums then run in wasm SIMD. */
  memory?: WebAssembly.Memory | null;
}

/** f64 values a rank's header slot holds: a signature table (size x 8, see safety.ts). */
function headerLength(size: number): number {
  return size * 8;
}

/** Bytes of one bank: the header slots, then the regions. */
function bankBytes(size: number, region: number): number {
  return Math.ceil((size * headerLength(size) * 8) / 64) * 64 + region * (size + 1);
}

/**
 * Allocates an arena for `size` ranks with `regionBytes` per region (rounded up to 64): a shared wasm memory
 * where the runtime has one (so the reductions can run in wasm SIMD), else a SharedArrayBuffer.
 */
export function createArenaBuffer(
  size: number,
  regionBytes: number,
): { buffer: SharedArrayBuffer; memory: WebAssembly.Memory | null; regionBytes: number } {
  const region = Math.max(64, Math.ceil(regionBytes / 64) * 64);
  const bytes = CONTROL_BYTES + 2 * bankBytes(size, region);
  const memory = sharedMemory(bytes);
  const buffer = memory ? (memory.buffer as unknown as SharedArrayBuffer) : new SharedArrayBuffer(bytes);
  return { buffer, memory, regionBytes: region };
}

/** Marks a rank as failed and wakes every waiter (called by the launcher when a worker dies). */
export function markRankFailed(buffer: SharedArrayBuffer, rank: number): void {
  const control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
  Atomics.compareExchange(control, FAILED, 0, rank + 1);
  Atomics.add(control, GENERATION, 1);
  Atomics.notify(control, GENERATION);
}

/**
 * Records that a rank's script ended normally (called by the launcher when its thread exits). It can never
 * arrive at another barrier, so a rank waiting at one will fail naming it instead of waiting forever.
 */
export function markRankFinished(buffer: SharedArrayBuffer, rank: number): void {
  const control = new Int32Array(buffer, 0, CONTROL_BYTES / 4);
  Atomics.compareExchange(control, FINISHED, 0, rank + 1);
  Atomics.notify(control, GENERATION); // wake the waiters without completing their barrier
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
  /** Phases done so far; phase k uses bank k % 2 (every rank runs the same phases in the same order). */
  private phase = 0;
  /** The wasm SIMD sums over the arena, when it is a wasm memory and the runtime has SIMD. */
  private readonly sums: { f32: SumKernel; f64: SumKernel } | null;

  constructor(init: ArenaInit) {
    this.init = init;
    this.rank = init.rank;
    this.size = init.size;
    this.control = new Int32Array(init.buffer, 0, CONTROL_BYTES / 4);
    this.sums = init.memory ? sumKernels(init.memory) : null;
  }

  /**
   * Each rank writes its table into its header slot; after one barrier every rank sums the slots itself.
   * (A table too large for a slot, as a mismatch's shape report, is summed through the data regions.)
   */
  async exchange(table: Float64Array, label: string): Promise<void> {
    if (table.length > headerLength(this.size)) {
      this.reduceChunks(table, "sum", label, true);
      return;
    }
    const bank = this.phase++ & 1;
    this.header(bank, this.rank, table.length).set(table);
    this.barrier(label);
    this.sumHeaders(bank, table);
  }

  /**
   * The signature exchange and an allreduce in one collective: the table travels in the same phase as the
   * first chunk, and `agreed` (the same verdict on every rank: it sees the same table) decides whether the
   * reduction goes on. The exchange's phase has the same shape as {@link exchange}'s, so a rank that only
   * exchanges (its argument could not travel) stays in step with the others.
   */
  async exchangeThenAllreduce(
    table: Float64Array,
    buf: CollectiveArray,
    op: WireOp,
    label: string,
    agreed: (table: Float64Array) => boolean,
  ): Promise<boolean> {
    if (table.length > headerLength(this.size)) {
      await this.exchange(table, label);
      if (!agreed(table)) return false;
      this.reduceChunks(buf, op, label, true);
      return true;
    }
    const step = this.chunkLength(buf);
    const first = buf.subarray(0, Math.min(buf.length, step));
    const bank = this.phase++ & 1;
    this.header(bank, this.rank, table.length).set(table);
    this.view(buf, bank, this.rank, first.length).set(first);
    this.barrier(label);
    this.sumHeaders(bank, table);
    if (!agreed(table)) return false;
    this.reduceLoaded(first, bank, op, label, true);
    if (buf.length > step) this.reduceChunks(buf.subarray(step), op, label, true);
    return true;
  }

  async allreduce(buf: CollectiveArray, op: WireOp, label: string): Promise<void> {
    this.reduceChunks(buf, op, label, true);
  }

  async reduce(buf: CollectiveArray, op: WireOp, root: number, label: string): Promise<void> {
    this.reduceChunks(buf, op, label, this.rank === root);
  }

  /** Root publishes each chunk in its bank's result region; one barrier; the others copy it. */
  async bcast(buf: CollectiveArray, root: number, label: string): Promise<void> {
    const step = this.chunkLength(buf);
    for (let start = 0; start < buf.length || start === 0; start += step) {
      const part = buf.subarray(start, Math.min(buf.length, start + step));
      const bank = this.phase++ & 1;
      const result = this.view(buf, bank, this.size, part.length);
      if (this.rank === root) result.set(part);
      this.barrier(label);
      if (this.rank !== root) part.set(result);
      if (buf.length === 0) break;
    }
  }

  async close(): Promise<void> {}

  /**
   * Each rank publishes its chunk; after a barrier each reduces its own 1/N of the elements across all
   * ranks into the result region (the work is split, not repeated); after a second barrier the receivers
   * copy the result out. The next phase uses the other bank, so no third barrier is needed.
   */
  private reduceChunks(buf: CollectiveArray, op: WireOp, label: string, receives: boolean): void {
    const step = this.chunkLength(buf);
    for (let start = 0; start < buf.length || start === 0; start += step) {
      const part = buf.subarray(start, Math.min(buf.length, start + step));
      const bank = this.phase++ & 1;
      this.view(buf, bank, this.rank, part.length).set(part);
      this.barrier(label);
      this.reduceLoaded(part, bank, op, label, receives);
      if (buf.length === 0) break;
    }
  }

  /** The rest of a reduction phase once every rank's chunk is in `bank`: reduce my 1/N, barrier, copy out. */
  private reduceLoaded(
    part: CollectiveArray,
    bank: number,
    op: WireOp,
    label: string,
    receives: boolean,
  ): void {
    const n = part.length;
    const lo = Math.floor((n * this.rank) / this.size);
    const hi = Math.floor((n * (this.rank + 1)) / this.size);
    if (hi > lo) {
      const slice = (r: number) => this.view(part, bank, r, n).subarray(lo, hi);
      const acc = slice(this.size);
      const simd = op === "sum" && this.size > 1 ? this.simdSum(part) : undefined;
      if (simd) {
        const at = (r: number) => slice(r).byteOffset;
        simd(acc.byteOffset, at(0), at(1), hi - lo);
        for (let r = 2; r < this.size; r++) simd(acc.byteOffset, acc.byteOffset, at(r), hi - lo);
      } else {
        if (this.size === 1) acc.set(slice(0));
        else combinePair(acc, slice(0), slice(1), op);
        for (let r = 2; r < this.size; r++) combineInto(acc, slice(r), op);
      }
    }
    this.barrier(label);
    if (receives) part.set(this.view(part, bank, this.size, n));
  }

  /** The wasm SIMD sum for `like`'s element type, when there is one. */
  private simdSum(like: CollectiveArray): SumKernel | undefined {
    if (!this.sums) return undefined;
    if (like instanceof Float32Array) return this.sums.f32;
    if (like instanceof Float64Array) return this.sums.f64;
    return undefined;
  }

  /** Replaces `table` with the sum of every rank's header slot in `bank`. */
  private sumHeaders(bank: number, table: Float64Array): void {
    table.set(this.header(bank, 0, table.length));
    for (let r = 1; r < this.size; r++) combineInto(table, this.header(bank, r, table.length), "sum");
  }

  private header(bank: number, rank: number, length: number): Float64Array {
    const offset = CONTROL_BYTES + bank * bankBytes(this.size, this.init.regionBytes);
    return new Float64Array(this.init.buffer, offset + rank * headerLength(this.size) * 8, length);
  }

  private chunkLength(like: CollectiveArray): number {
    return Math.max(1, Math.floor(this.init.regionBytes / like.BYTES_PER_ELEMENT));
  }

  /** A typed view of `length` elements at the start of region `index` of `bank` (ranks, then the result). */
  private view(like: CollectiveArray, bank: number, index: number, length: number): CollectiveArray {
    const ctor = like.constructor as new (b: SharedArrayBuffer, o: number, n: number) => CollectiveArray;
    const banks = CONTROL_BYTES + bank * bankBytes(this.size, this.init.regionBytes);
    const headers = bankBytes(this.size, this.init.regionBytes) - this.init.regionBytes * (this.size + 1);
    return new ctor(this.init.buffer, banks + headers + index * this.init.regionBytes, length);
  }

  /** A reusable (generation-counting) barrier that also notices a failed or finished rank and a deadline. */
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
    // (A failure also bumps the generation, to wake everyone: check for it whenever the barrier "completes".)
    for (let i = 0; i < SPIN_CHECKS; i++) {
      if (Atomics.load(c, GENERATION) !== generation) {
        this.throwIfFailed();
        return;
      }
    }
    const timeoutMs = this.init.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(c, GENERATION) === generation) {
      Atomics.wait(c, GENERATION, generation, WAIT_SLICE_MS);
      this.throwIfFailed();
      // A finished rank can never arrive. (Had it arrived here, it would be waiting too, or it was the last
      // arrival and bumped the generation before it finished: read the generation again after the flag.)
      const finished = Atomics.load(c, FINISHED) - 1;
      if (finished >= 0 && Atomics.load(c, GENERATION) === generation)
        throw new DistributedPeerFinishedError(label, this.rank, finished);
      if (Date.now() > deadline && Atomics.load(c, GENERATION) === generation)
        throw new DistributedTimeoutError(label, this.rank, timeoutMs);
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    const failed = Atomics.load(this.control, FAILED) - 1;
    if (failed >= 0) throw new DistributedRankFailedError(failed, "it threw or exited during the job");
  }
}
