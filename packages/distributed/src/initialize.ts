// initialize / getDistributedBackend / totalWorkers / localRank (Flux's DistributedUtils entry points).
import type { BackendType, DistributedBackend } from "./backend.js";
import { DistributedNotInitializedError } from "./errors.js";

const started = new Map<BackendType, Promise<DistributedBackend>>();
const ready = new Map<BackendType, DistributedBackend>();

/**
 * Starts a backend once per process (or worker thread) and returns it; later calls return the same one.
 *
 * `Backend` is the class, as Flux passes the type: `MPIBackend` or `ThreadsBackend`. Options go to the
 * backend: `timeoutMs` (every collective's deadline: 5 minutes by default, `Infinity` waits forever) and, for
 * MPI, `library`, `koffi`, `abortOnUncaught`; an unknown option is refused with `DistributedArgumentError`.
 *
 * @example
 * const b = await initialize(MPIBackend, { timeoutMs: 30_000 });
 */
export async function initialize<B extends DistributedBackend, O>(
  Backend: BackendType<B, O>,
  options?: O,
): Promise<B> {
  let pending = started.get(Backend);
  if (!pending) {
    pending = Backend.create(options);
    started.set(Backend, pending);
    pending.then(
      (b) => ready.set(Backend, b),
      () => started.delete(Backend),
    );
  }
  const b = (await pending) as B;
  ready.set(Backend, b);
  return b;
}

/**
 * Whether `initialize(Backend)` has completed in this process (Flux's `initialized`).
 *
 * @example
 * if (!initialized(ThreadsBackend)) await initialize(ThreadsBackend);
 */
export function initialized(Backend: BackendType): boolean {
  return ready.has(Backend);
}

/** @deprecated Renamed `initialized`, Flux's spelling. */
export const isInitialized: typeof initialized = initialized;

/**
 * The backend `initialize` started; throws {@link DistributedNotInitializedError} before that.
 *
 * @example
 * await initialize(ThreadsBackend);
 * const b = getDistributedBackend(ThreadsBackend);
 */
export function getDistributedBackend<B extends DistributedBackend>(Backend: BackendType<B, any>): B {
  const b = ready.get(Backend);
  if (!b) throw new DistributedNotInitializedError(Backend.backendName);
  return b as B;
}

/**
 * The number of workers in the job.
 *
 * @example
 * totalWorkers(b); // 4 under `mpirun -n 4`
 */
export function totalWorkers(b: DistributedBackend): number {
  return b.size;
}

/**
 * This worker's rank, 0-based (as in Flux, which follows MPI).
 *
 * @example
 * if (localRank(b) === 0) console.log("I print the logs");
 */
export function localRank(b: DistributedBackend): number {
  return b.rank;
}
