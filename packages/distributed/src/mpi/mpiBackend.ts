// MPIBackend: Flux's MPI backend, on the system libmpi through koffi.
import { DistributedBackend } from "../backend.js";
import { checkBackendOptions } from "../options.js";
import { type MpiTransportOptions, startMpiTransport } from "./mpiTransport.js";

/** Options of `initialize(MPIBackend, opts)`. */
export type MPIBackendOptions = MpiTransportOptions;

/**
 * The MPI backend: one process per rank, started with `mpirun -n N node|bun|deno train.js`.
 *
 * Works with Open MPI and MPICH (chosen from the launcher's environment and the library that loads). Needs
 * the optional peer `koffi`. An uncaught error in any rank calls MPI_Abort (the job ends, naming the rank);
 * a rank that ends while the others wait in a collective it skipped makes them fail, naming it; a
 * collective waits at most `timeoutMs` (5 minutes by default); a communicator size that disagrees with the
 * launcher's is refused. GPU tensors travel through host memory (WebGPU buffers cannot be handed to MPI).
 *
 * @example
 * const b = await initialize(MPIBackend, { timeoutMs: 60_000 });
 * const g = await allreduce(b, new Float32Array([localRank(b)]), "sum");
 */
export class MPIBackend extends DistributedBackend {
  static readonly backendName = "MPIBackend";
  readonly backendName = "MPIBackend";
  /** `"openmpi"` or `"mpich"`: the ABI family that was loaded. */
  readonly family: string;

  private constructor(transport: Awaited<ReturnType<typeof startMpiTransport>>) {
    super(transport);
    this.family = transport.family;
  }

  /** Starts MPI (MPI_Init once per process); use `initialize(MPIBackend, opts)` instead of calling this. */
  static async create(options: MPIBackendOptions = {}): Promise<MPIBackend> {
    checkBackendOptions(options, "initialize(MPIBackend)");
    return new MPIBackend(await startMpiTransport(options));
  }
}
