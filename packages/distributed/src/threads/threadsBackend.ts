// ThreadsBackend: single-machine data parallelism on worker threads and one SharedArrayBuffer.
import { DistributedBackend } from "../backend.js";
import { resolveTimeout } from "../deadline.js";
import { LocalTransport } from "../localTransport.js";
import { checkBackendOptions } from "../options.js";
import { ArenaTransport } from "./arena.js";
import { getThreadsContext } from "./context.js";

/** Options of `initialize(ThreadsBackend, opts)`. */
export interface ThreadsBackendOptions {
  /**
   * Fail a collective that waits longer than this (ms; `Infinity` waits forever); overrides launchThreads'
   * `timeoutMs` (whose default is 5 minutes).
   */
  timeoutMs?: number;
}

/**
 * The worker-threads backend: N threads of one process, collectives through shared memory; no system
 * package needed. Runs the same script as MPIBackend, started by `launchThreads(n, url)` or
 * `flux-distributed --threads N train.js`. Outside a launched worker it is a one-rank job.
 *
 * @example
 * // train.js, started with: npx flux-distributed --threads 4 train.js
 * const b = await initialize(ThreadsBackend);
 * const x = await allreduce(b, new Float32Array([1]), "sum"); // [4]
 */
export class ThreadsBackend extends DistributedBackend {
  static readonly backendName = "ThreadsBackend";
  readonly backendName = "ThreadsBackend";

  /** Joins the arena of the launched worker this runs in; use `initialize(ThreadsBackend)` instead. */
  static async create(options: ThreadsBackendOptions = {}): Promise<ThreadsBackend> {
    checkBackendOptions(options, "initialize(ThreadsBackend)");
    const timeoutMs =
      options.timeoutMs === undefined
        ? undefined
        : resolveTimeout(options.timeoutMs, "initialize(ThreadsBackend)");
    const ctx = getThreadsContext();
    if (!ctx) return new ThreadsBackend(new LocalTransport());
    return new ThreadsBackend(new ArenaTransport({ ...ctx, timeoutMs: timeoutMs ?? ctx.timeoutMs }));
  }
}
