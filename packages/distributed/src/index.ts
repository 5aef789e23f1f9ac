// @flux/distributed: data-parallel training on MPI and worker threads, a port of Flux's DistributedUtils.
export { DistributedBackend, type BackendType } from "./backend.js";
export {
  initialize,
  initialized,
  isInitialized,
  getDistributedBackend,
  totalWorkers,
  localRank,
} from "./initialize.js";
export { allreduce, bcast, reduce, barrier, type Collectable, type RootOptions } from "./collectives.js";
export { averageGradients } from "./tree/averageGradients.js";
export { DEFAULT_TIMEOUT_MS } from "./deadline.js";
export type { CollectiveOp } from "./ops.js";
export type { CollectiveArray, CollectiveDtype } from "./buffers.js";
export type { TensorLike } from "./tensorLike.js";
export { MPIBackend, type MPIBackendOptions } from "./mpi/mpiBackend.js";
export type { MpiFamily } from "./mpi/abi.js";
export { ThreadsBackend, type ThreadsBackendOptions } from "./threads/threadsBackend.js";
export { launchThreads, type LaunchThreadsOptions } from "./threads/launch.js";
export { detectBackend } from "./detectBackend.js";
export { synchronize } from "./tree/synchronize.js";
export { FluxDistributedModel } from "./tree/fluxDistributedModel.js";
export { DistributedDataContainer, shareOf } from "./tree/distributedDataContainer.js";
export { DistributedOptimizer } from "./tree/distributedOptimizer.js";
export {
  DistributedError,
  DistributedMismatchError,
  DistributedNotInitializedError,
  DistributedTimeoutError,
  DistributedUnavailableError,
  DistributedRankFailedError,
  DistributedArgumentError,
  DistributedPeerFinishedError,
  DistributedMpiError,
  type CollectiveSignature,
} from "./errors.js";

/** The version of this package. */
export const VERSION = "0.1.0";
