// Picks the backend a script was launched for, so one training script runs under mpirun and threads alike.
import type { BackendType, DistributedBackend } from "./backend";
import { detectLauncher } from "./mpi/launcher";
import { MPIBackend } from "./mpi/mpiBackend";
import { getThreadsContext } from "./threads/context";
import { ThreadsBackend } from "./threads/threadsBackend";

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
