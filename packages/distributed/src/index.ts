// @flux/distributed: data-parallel training on MPI and worker threads, a port of Flux's DistributedUtils.
export { DistributedBackend, type BackendType } from "./backend";
export { initialize, isInitialized, getDistributedBackend, totalWorkers, localRank } from "./initialize";
export { allreduce, bcast, reduce, barrier, type Collectable, type RootOptions } from "./collectives";
export { averageGradients } from "./tree/averageGradients";
export { DEFAULT_TIMEOUT_MS } from "./deadline";
export type { ReduceOp } from "./ops";
export type { CollectiveArray, CollectiveDtype } from "./buffers";
export type { TensorLike } from "./tensorLike";
export { MPIBackend, type MPIBackendOptions } from "./mpi/mpiBackend";
export type { MpiFamily } from "./mpi/abi";
export { ThreadsBackend, type ThreadsBackendOptions } from "./threads/threadsBackend";
export { launchThreads, type LaunchThreadsOptions } from "./threads/launch";
export { detectBackend } from "./detectBackend";
export { synchronize } from "./tree/synchronize";
export { FluxDistributedModel } from "./tree/fluxDistributedModel";
export { DistributedDataContainer, shareOf, type ObsContainer } from "./tree/distributedDataContainer";
export { DistributedOptimizer } from "./tree/distributedOptimizer";
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
} from "./errors";

/** The version of this package. */
export const VERSION = "0.1.0";
