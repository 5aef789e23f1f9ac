// Picks the backend a script was launched for, so one training script runs under mpirun and threads alike.
import type { BackendType, DistributedBackend } from "./backend.js";
import { detectLauncher } from "./mpi/launcher.js";
import { MPIBackend } from "./mpi/mpiBackend.js";
import { getThreadsContext } from "./threads/context.js";
import { ThreadsBackend } from "./threads/threadsBackend.js";

/**
 * `MPIBackend` when an MPI launcher started this process, otherwise `ThreadsBackend` (inside
 * `launchThreads` it joins the thread group; alone it is a one-rank job).
 *
 * @example
 * const b = await initialize(detectBackend());
 */
export function detectBackend(): BackendType<DistributedBackend, any> {
  if (!getThreadsContext() && detectLauncher().family !== null) return MPIBackend;
  return ThreadsBackend;
}
