// MPIBackend: Flux's MPI backend, on the system libmpi through koffi.
import { DistributedBackend } from "../backend.js";
import { type MpiTransportOptions, startMpiTransport } from "./mpiTransport.js";

/** Options of `initialize(MPIBackend, opts)`. */
export interface MPIBackendOptions extends MpiTransportOptions {
  /**
   * Accepted for parity with Flux's `FluxDistributedMPICUDAAware` preference, and recorded. WebGPU buffers
   * cannot be handed to MPI, so GPU tensors are always staged through host memory whatever this says.
   */
  gpuAware?: boolean;
}

/**
 * The MPI backend: one process per rank, started with `mpirun -n N node|bun|deno train.js`.
 *
 * Works with Open MPI and MPICH (chosen from the launcher's environment and the library that loads). Needs
 * the optional peer `koffi`. An uncaught error in any rank calls MPI_Abort (the job ends, naming the rank);
 * a communicator size that disagrees with the launcher's is refused.
 *
 * @example
 * const b = await initialize(MPIBackend, { timeoutMs: 60_000 });
 * const g = await allreduce(b, new Float32Array([localRank(b)]), "sum");
 */
export class MPIBackend extends DistributedBackend {
  static readonly backendName = "MPIBackend";
  readonly backendName = "MPIBackend";
  /** Whether the user declared a GPU-aware MPI (has no effect: see {@link MPIBackendOptions.gpuAware}). */
  readonly gpuAware: boolean;
  /** `"openmpi"` or `"mpich"`: the ABI family that was loaded. */
  readonly family: string;

  private constructor(transport: Awaited<ReturnType<typeof startMpiTransport>>, gpuAware: boolean) {
    super(transport);
    this.family = transport.family;
    this.gpuAware = gpuAware;
  }

  /** Starts MPI (MPI_Init once per process); use `initialize(MPIBackend, opts)` instead of calling this. */
  static async create(options: MPIBackendOptions = {}): Promise<MPIBackend> {
    return new MPIBackend(await startMpiTransport(options), options.gpuAware ?? false);
  }
}
