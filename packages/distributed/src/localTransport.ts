// A communicator of one: what ThreadsBackend is when a script runs outside launchThreads (the way an MPI
// program started without mpirun is a one-rank job). Every collective leaves the buffer as it is.
import type { Transport } from "./transport.js";

/** The one-rank transport. */
export class LocalTransport implements Transport {
  readonly rank = 0;
  readonly size = 1;
  async exchange(): Promise<void> {}
  async allreduce(): Promise<void> {}
  async bcast(): Promise<void> {}
  async reduce(): Promise<void> {}
  async close(): Promise<void> {}
}
