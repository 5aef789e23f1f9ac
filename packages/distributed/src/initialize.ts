// initialize / getDistributedBackend / totalWorkers / localRank (Flux's DistributedUtils entry points).
import type { BackendType, DistributedBackend } from "./backend.js";
import { DistributedArgumentError, DistributedNotInitializedError } from "./errors.js";

/** Refuses what is not a backend class (a name, an instance, undefined): `Backend.create` would be a TypeError. */
function checkBackendType(Backend: unknown, fn: string): void {
  if (typeof Backend !== "function" || typeof (Backend as { create?: unknown }).create !== "function")
    throw new DistributedArgumentError(
      `${fn}(Backend): Backend must be a backend class, MPIBackend or ThreadsBackend (or detectBackend()), got ${
        Backend === null ? "null" : typeof Backend === "string" ? JSON.stringify(Backend) : typeof Backend
      }; e.g. await initialize(detectBackend()).`,
    );
}

/** Refuses what is not a started backend (what `initialize` returns). */
function checkBackend(b: unknown, fn: string): asserts b is DistributedBackend {
  // Structural, not instanceof: a backend from another installed copy of this package is still one.
  const x = b as Partial<DistributedBackend> | null;
  if (typeof x !== "object" || x === null || typeof x.size !== "number" || typeof x.rank !== "number")
    throw new DistributedArgumentError(
      `${fn}(b): b must be the backend that initialize returned, got ${b === null ? "null" : typeof b}; e.g. const b = await initialize(detectBackend()).`,
    );
}

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
  checkBackendType(Backend, "initialize");
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
  checkBackendType(Backend, "getDistributedBackend");
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
  checkBackend(b, "totalWorkers");
  return b.size;
}

/**
 * This worker's rank, 0-based (as in Flux, which follows MPI).
 *
 * @example
 * if (localRank(b) === 0) console.log("I print the logs");
 */
export function localRank(b: DistributedBackend): number {
  checkBackend(b, "localRank");
  return b.rank;
}
