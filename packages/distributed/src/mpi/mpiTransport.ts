// The MPI transport: the signature exchange is a nonblocking collective polled with MPI_Test, so that a
// deadline can be enforced, a finished peer noticed, and the JS event loop keeps running while some rank is
// late; the payload that follows it is a blocking in-place collective on the caller's own buffer.
import { type CollectiveArray, dtypeOf } from "../buffers.js";
import { resolveTimeout } from "../deadline.js";
import {
  type DistributedError,
  DistributedPeerFinishedError,
  DistributedTimeoutError,
  DistributedUnavailableError,
} from "../errors.js";
import {
  describeError,
  exitProcess,
  nextTick,
  onExit,
  onFatal,
  pauseSync,
  readEnv,
  writeStderr,
} from "../runtime.js";
import type { Transport, WireOp } from "../transport.js";
import { coreCount, detectLauncher, familyOrder, type LauncherInfo, localRanks } from "./launcher.js";
import { loadMpi, type MpiLibrary, type MpiRequest } from "./library.js";

/** Options of `initialize(MPIBackend, opts)` that reach the transport. */
export interface MpiTransportOptions {
  /**
   * Fail a collective that has not completed after this many milliseconds with `DistributedTimeoutError`
   * (default 300000: 5 minutes; `Infinity` waits forever).
   */
  timeoutMs?: number;
  /** Path or file name of libmpi (default: `FLUX_MPI_LIBRARY`, then the family's usual names). */
  library?: string;
  /** The koffi module, when you already imported it (default: imported on first use). */
  koffi?: unknown;
  /**
   * On an uncaught error in this rank, print it and call MPI_Abort so the whole job ends (default `true`).
   * Without it, the other ranks would wait forever in their next collective.
   */
  abortOnUncaught?: boolean;
}

// Polls before the first yield: a small collective between two local ranks completes in microseconds, and
// a macrotask costs about a millisecond on Node.
const SPIN_POLLS = 200;

// MPICH's Hydra tears the job down as soon as MPI_Abort reaches it, and then drops what the failing rank had
// written to stderr but its proxy had not yet forwarded (seen on about 1 in 5 timeouts with MPICH 4.0.2):
// the job ended with no word of why. A short pause before aborting lets the message through.
const ABORT_FLUSH_MS = 200;

// After this long in one wait (at once when this node runs more ranks than it has cores), each poll first
// gives the core away (sched_yield, as MPI's own blocking calls do in an oversubscribed job; where libc's is
// not at hand, a YIELD_MS futex sleep), so that the ranks being waited for can run.
const YIELD_AFTER_MS = 1;
const YIELD_MS = 0.05;

// The tag of the finish handshake's point-to-point messages (they never match a collective's traffic).
const FINISH_TAG = 0x5f1d;

/** Starts MPI (once per process) and returns this rank's transport over MPI_COMM_WORLD. */
export async function startMpiTransport(opts: MpiTransportOptions = {}): Promise<MpiTransport> {
  resolveTimeout(opts.timeoutMs, "initialize(MPIBackend)"); // refuse a bad deadline before MPI starts
  const launcher = detectLauncher();
  const lib = await loadMpi({
    library: opts.library ?? readEnv("FLUX_MPI_LIBRARY"),
    families: familyOrder(launcher),
    koffi: opts.koffi,
  });
  if (!lib.isInitialized()) lib.init();
  const rank = lib.commRank();
  const size = lib.commSize();
  checkLauncherAgrees(launcher, lib, size);
  const ranksHere = localRanks();
  const cores = await coreCount();
  const oversubscribed = ranksHere !== null && cores !== null && ranksHere > cores;
  return new MpiTransport(lib, rank, size, opts, oversubscribed);
}

/**
 * Refuses a world whose size disagrees with the launcher's: an Open MPI program started by MPICH's
 * `mpiexec` (or the reverse) does not fail, it becomes N independent one-rank jobs.
 */
export function checkLauncherAgrees(
  launcher: LauncherInfo,
  lib: Pick<MpiLibrary, "family" | "path">,
  size: number,
): void {
  if (launcher.worldSize === null || launcher.worldSize === size) return;
  throw new DistributedUnavailableError(
    `MPI_COMM_WORLD has ${size} rank(s) but the launcher set ${launcher.variable}=${launcher.worldSize}: ` +
      `this program loaded ${lib.family} (${lib.path}) while the job was started by ` +
      `${launcher.family === "openmpi" ? "Open MPI's mpirun" : "an MPICH-family launcher"}, so every rank ` +
      "would run alone. Start it with the mpirun of the same MPI, or point FLUX_MPI_LIBRARY at the library " +
      "that matches your launcher.",
  );
}

/**
 * One rank's end of MPI_COMM_WORLD.
 *
 * The finish handshake: when a rank ends normally, it sends every other rank the number of collectives it
 * posted, then waits for theirs before MPI_Finalize. A rank waiting in collective number k that learns a
 * peer finished after fewer than k collectives knows the peer will never join: it throws
 * `DistributedPeerFinishedError` (and, uncaught, that ends the job through MPI_Abort) instead of hanging,
 * while the finished rank would otherwise wait in MPI_Finalize forever.
 */
export class MpiTransport implements Transport {
  readonly family: string;
  private readonly timeoutMs: number;
  /** Where the exchange's table travels: 4 KiB and more, so outside the JS heap (tables of up to 64 ranks). */
  private staging = new Float64Array(512);
  /** Collectives posted on MPI_COMM_WORLD so far (every rank posts the same ones, in the same order). */
  private seq = 0;
  /** Per rank: the finish message slot (the own slot is what this rank sends when it finishes). */
  private readonly finishBox: Float64Array;
  private readonly finishRecv: (MpiRequest | null)[];
  /** Per peer: how many collectives it posted before it finished, once its message arrived. */
  private readonly finishedAfter: (number | undefined)[];
  /** The error that left a collective pending forever: the communicator cannot be used or finalized. */
  private broken: DistributedError | null = null;
  private closed = false;

  constructor(
    private readonly lib: MpiLibrary,
    readonly rank: number,
    readonly size: number,
    opts: MpiTransportOptions,
    /** More ranks than cores on this node: waiters give their core up at once. */
    private readonly oversubscribed = false,
  ) {
    this.family = lib.family;
    this.timeoutMs = resolveTimeout(opts.timeoutMs, "initialize(MPIBackend)");
    // Off the JS heap (>= 4 KiB), so that MPI may keep the address of each slot until its message arrives.
    this.finishBox = new Float64Array(Math.max(size, 512));
    this.finishedAfter = new Array(size).fill(undefined);
    this.finishRecv = Array.from({ length: size }, (_, p) =>
      p === rank ? null : lib.irecv(this.finishBox.subarray(p, p + 1), p, FINISH_TAG),
    );
    if (opts.abortOnUncaught !== false) onFatal((e) => this.abortJob(e));
    // A rank that exits with an error code (process.exit(3), an unhandled rejection turned into exit 1) would
    // finalize cleanly and leave the others waiting in their next collective forever: abort the job instead.
    onExit((code) => (code === 0 ? this.finish() : this.abortOnExit(code)));
  }

  /**
   * The signature exchange: a nonblocking in-place MPI_Iallreduce on a copy in a buffer we own (MPI keeps
   * its address until it completes, and a small typed array may live in the engine's moving heap), polled
   * with MPI_Test so that the deadline and the finish handshake apply while the JS event loop keeps running.
   */
  async exchange(table: Float64Array, label: string): Promise<void> {
    if (this.broken) throw this.broken;
    // A peer known to have finished before this collective can never join it: fail before posting it.
    this.throwIfPeerFinished(this.seq + 1, label);
    if (this.staging.length < table.length) this.staging = new Float64Array(table.length * 2);
    const staged = this.staging.subarray(0, table.length);
    staged.set(table);
    this.seq++;
    await this.wait(this.lib.iallreduce(staged, "f64", "sum"), label);
    table.set(staged);
  }

  // The payloads follow an exchange that every rank completed with the same signature: all of them are here,
  // so the blocking in-place calls cannot wait for a missing rank, and they work on the caller's buffer
  // itself (no copy; nothing can move it during a synchronous call). Open MPI's blocking collectives are
  // also faster than its nonblocking ones in place (libnbc copies large in-place buffers).

  async allreduce(buf: CollectiveArray, op: WireOp, _label?: string): Promise<void> {
    this.payload(() => this.lib.allreduce(buf, dtypeOf(buf), op));
  }

  async bcast(buf: CollectiveArray, root: number, _label?: string): Promise<void> {
    this.payload(() => this.lib.bcast(buf, dtypeOf(buf), root));
  }

  async reduce(buf: CollectiveArray, op: WireOp, root: number, _label?: string): Promise<void> {
    this.payload(() => this.lib.reduce(buf, dtypeOf(buf), op, root, this.rank === root));
  }

  async close(): Promise<void> {
    this.finish();
  }

  private payload(call: () => void): void {
    if (this.broken) throw this.broken;
    this.seq++;
    call();
  }

  private async wait(req: MpiRequest, label: string): Promise<void> {
    const started = performance.now();
    const deadline = started + this.timeoutMs;
    for (let polls = 0; ; polls++) {
      if (this.lib.test(req)) return;
      if (polls < (this.oversubscribed ? SPIN_POLLS / 10 : SPIN_POLLS)) continue;
      // A rank that is late by more than a moment may be waiting for this core (more ranks than cores, or a
      // busy machine): give the core up briefly between polls instead of spinning through the event loop.
      if (this.oversubscribed || performance.now() - started > YIELD_AFTER_MS)
        if (!this.lib.yieldCore()) pauseSync(YIELD_MS);
      // MPI cannot cancel a collective: after these errors the communicator is unusable, and the error is
      // meant to end the job (uncaught, it reaches abortJob; at a normal exit, finish() aborts).
      try {
        this.pollFinished();
        this.throwIfPeerFinished(this.seq, label);
        if (performance.now() > deadline) throw new DistributedTimeoutError(label, this.rank, this.timeoutMs);
      } catch (e) {
        this.broken = e as DistributedError;
        throw e;
      }
      await nextTick();
    }
  }

  /** Records the finish messages that have arrived. */
  private pollFinished(): void {
    for (let p = 0; p < this.size; p++) {
      const req = this.finishRecv[p];
      if (req && this.lib.test(req)) {
        this.finishRecv[p] = null;
        this.finishedAfter[p] = this.finishBox[p];
      }
    }
  }

  /** Throws when a peer finished after fewer than `index` collectives (it will never post number `index`). */
  private throwIfPeerFinished(index: number, label: string): void {
    for (let p = 0; p < this.size; p++) {
      const after = this.finishedAfter[p];
      if (after !== undefined && after < index) throw new DistributedPeerFinishedError(label, this.rank, p);
    }
  }

  /**
   * The normal end of this rank: tell every peer how many collectives we posted, wait until every peer has
   * said the same (a peer still waiting in a collective we skipped learns of it now and fails), finalize.
   */
  private finish(): void {
    if (this.closed) return;
    if (this.broken) {
      this.abortBroken();
      return;
    }
    this.closed = true;
    try {
      const sends: MpiRequest[] = [];
      this.finishBox[this.rank] = this.seq;
      for (let p = 0; p < this.size; p++)
        if (p !== this.rank)
          sends.push(this.lib.isend(this.finishBox.subarray(this.rank, this.rank + 1), p, FINISH_TAG));
      let pending = sends;
      for (let polls = 0; pending.length > 0 || this.finishRecv.some((r) => r !== null); polls++) {
        pending = pending.filter((r) => !this.lib.test(r));
        this.pollFinished();
        if (polls > SPIN_POLLS) pauseSync(1);
      }
      if (!this.lib.isFinalized()) this.lib.finalize();
    } catch {
      // Finalizing at exit is best effort: the job is ending either way.
    }
  }

  private abortBroken(): void {
    writeStderr(
      `[@flux/distributed] rank ${this.rank} of ${this.size} is exiting while a collective it started can ` +
        `never complete (${this.broken?.message}); calling MPI_Abort so the other ranks stop too.`,
    );
    this.closed = true;
    pauseSync(ABORT_FLUSH_MS);
    this.lib.abort(1);
  }

  private abortJob(error: unknown): void {
    writeStderr(
      `[@flux/distributed] rank ${this.rank} of ${this.size} failed with an uncaught error; calling ` +
        `MPI_Abort so the whole job stops instead of hanging.\n${describeError(error)}`,
    );
    this.closed = true;
    pauseSync(ABORT_FLUSH_MS);
    try {
      this.lib.abort(1);
    } finally {
      exitProcess(1);
    }
  }

  private abortOnExit(code: number): void {
    if (this.closed) return; // abortJob already ran (it exits the process too)
    writeStderr(
      `[@flux/distributed] rank ${this.rank} of ${this.size} is exiting with code ${code} before the job ` +
        "finished; calling MPI_Abort so the other ranks stop instead of hanging.",
    );
    this.closed = true;
    pauseSync(ABORT_FLUSH_MS);
    this.lib.abort(code);
  }
}
