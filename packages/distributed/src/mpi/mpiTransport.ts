// The MPI transport: nonblocking collectives on staged copies, polled with MPI_Test so a deadline can be
// enforced and the JS event loop keeps running while a collective is in flight.
import { type CollectiveArray, type CollectiveDtype, dtypeOf } from "../buffers.js";
import { DistributedTimeoutError, DistributedUnavailableError } from "../errors.js";
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
import { detectLauncher, familyOrder, type LauncherInfo } from "./launcher.js";
import { loadMpi, type MpiLibrary, type MpiRequest } from "./library.js";

/** Options of `initialize(MPIBackend, opts)` that reach the transport. */
export interface MpiTransportOptions {
  /** Fail a collective that has not completed after this many milliseconds (default: wait forever). */
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

/** Starts MPI (once per process) and returns this rank's transport over MPI_COMM_WORLD. */
export async function startMpiTransport(opts: MpiTransportOptions = {}): Promise<MpiTransport> {
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
  return new MpiTransport(lib, rank, size, opts);
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

/** One rank's end of MPI_COMM_WORLD. */
export class MpiTransport implements Transport {
  readonly family: string;
  private staging = new ArrayBuffer(4096);
  private closed = false;

  constructor(
    private readonly lib: MpiLibrary,
    readonly rank: number,
    readonly size: number,
    private readonly opts: MpiTransportOptions,
  ) {
    this.family = lib.family;
    if (opts.abortOnUncaught !== false) onFatal((e) => this.abortJob(e));
    // A rank that exits with an error code (process.exit(3), an unhandled rejection turned into exit 1) would
    // finalize cleanly and leave the others waiting in their next collective forever: abort the job instead.
    onExit((code) => (code === 0 ? this.finalizeQuietly() : this.abortOnExit(code)));
  }

  async allreduce(buf: CollectiveArray, op: WireOp, label: string): Promise<void> {
    const dtype = dtypeOf(buf);
    const [send, recv] = this.stage(buf, 2);
    send.set(buf);
    await this.wait(this.lib.iallreduce(send, recv, dtype, op), label);
    buf.set(recv);
  }

  async bcast(buf: CollectiveArray, root: number, label: string): Promise<void> {
    const dtype: CollectiveDtype = dtypeOf(buf);
    const [inout] = this.stage(buf, 1);
    inout.set(buf);
    await this.wait(this.lib.ibcast(inout, dtype, root), label);
    buf.set(inout);
  }

  async reduce(buf: CollectiveArray, op: WireOp, root: number, label: string): Promise<void> {
    const dtype = dtypeOf(buf);
    const [send, recv] = this.stage(buf, 2);
    send.set(buf);
    await this.wait(this.lib.ireduce(send, recv, dtype, op, root), label);
    if (this.rank === root) buf.set(recv);
  }

  async close(): Promise<void> {
    this.finalizeQuietly();
  }

  /**
   * Views of a staging buffer we own, `count` regions each the size of `like`.
   *
   * Why stage: MPI keeps the address of a nonblocking operation's buffer until it completes, and a JS engine
   * may move a small typed array's storage while we await; a large ArrayBuffer we allocated does not move.
   */
  private stage(like: CollectiveArray, count: number): CollectiveArray[] {
    const region = Math.ceil(like.byteLength / 64) * 64 || 64;
    if (this.staging.byteLength < region * count) this.staging = new ArrayBuffer(region * count * 2);
    const ctor = like.constructor as new (b: ArrayBuffer, o: number, n: number) => CollectiveArray;
    return Array.from({ length: count }, (_, i) => new ctor(this.staging, i * region, like.length));
  }

  private async wait(req: MpiRequest, label: string): Promise<void> {
    const timeoutMs = this.opts.timeoutMs;
    const deadline = timeoutMs ? performance.now() + timeoutMs : Number.POSITIVE_INFINITY;
    for (let polls = 0; ; polls++) {
      if (this.lib.test(req)) return;
      if (polls < SPIN_POLLS) continue;
      // MPI cannot cancel a collective: after this error the communicator is unusable, and the error is
      // meant to end the job (uncaught, it reaches abortJob).
      if (performance.now() > deadline) throw new DistributedTimeoutError(label, this.rank, timeoutMs!);
      await nextTick();
    }
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

  private finalizeQuietly(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.lib.isFinalized()) this.lib.finalize();
    } catch {
      // Finalizing at exit is best effort: the job is ending either way.
    }
  }
}
