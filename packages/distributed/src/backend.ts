// The backend object every API call takes (Flux's `AbstractFluxDistributedBackend` instances).
import type { Transport } from "./transport.js";

/**
 * A started distributed backend: this process's (or thread's) membership in a group of workers.
 *
 * Get one from `await initialize(MPIBackend)` / `getDistributedBackend(MPIBackend)` (or `ThreadsBackend`);
 * pass it to `allreduce`, `bcast`, `reduce`, `synchronize`, `DistributedDataContainer`, `DistributedOptimizer`.
 *
 * @example
 * const b = await initialize(ThreadsBackend);
 * console.log(localRank(b), totalWorkers(b));
 */
export abstract class DistributedBackend {
  /** The backend's name, e.g. `"MPIBackend"`. */
  abstract readonly backendName: string;
  private queue: Promise<unknown> = Promise.resolve();

  /** @internal Backends are started by `initialize(MPIBackend)` / `initialize(ThreadsBackend)`. */
  constructor(
    /** The transport that moves the bytes (internal). */
    readonly transport: Transport,
  ) {}

  /** This worker's 0-based rank. */
  get rank(): number {
    return this.transport.rank;
  }

  /** The number of workers. */
  get size(): number {
    return this.transport.size;
  }

  /**
   * Runs collective steps one call at a time, in call order. Why: a collective is a signature check plus a
   * transfer, and two un-awaited calls must not interleave their steps on one communicator.
   */
  serialize<T>(steps: () => Promise<T>): Promise<T> {
    const next = this.queue.then(steps, steps);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Prints like Flux: `MPIBackend(rank 0 of 4)`. */
  toString(): string {
    return `${this.backendName}(rank ${this.rank} of ${this.size})`;
  }
}

/** What `initialize` accepts: a backend class with a static factory (Flux passes the backend *type*). */
export interface BackendType<B extends DistributedBackend = DistributedBackend, O = unknown> {
  readonly backendName: string;
  create(options?: O): Promise<B>;
}
