// One fault per launch (the job is meant to die): FLUX_FAULT=throw | kill | exit | timeout | skip.
// The launcher checks that the job ends non-zero, in under 10 s, with output naming the failing rank.
// skip: rank 1 skips the remaining collectives and ends its script normally; the others must not wait for
// it forever (no timeoutMs is set: the default deadline is 5 minutes) but fail at once, naming rank 1.
import { readEnv } from "@flux/kernels";
import { allreduce, detectBackend, initialize, localRank } from "../dist/index.js";

const fault = readEnv("FLUX_FAULT") ?? "throw";
const b = await initialize(detectBackend(), { timeoutMs: fault === "timeout" ? 1000 : undefined });
const rank = localRank(b);
await allreduce(b, new Float32Array([1]), "sum");

if (rank === 1) {
  if (fault === "throw") throw new Error("fault injected on purpose");
  if (fault === "kill") {
    // A killed process under MPI (Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE, MPICH's Hydra PMI_SIZE); in a
    // worker thread process.exit ends only that thread.
    if (readEnv("OMPI_COMM_WORLD_SIZE") ?? readEnv("PMI_SIZE")) process.kill(process.pid, "SIGKILL");
    else process.exit(3);
  }
  if (fault === "exit") process.exit(3); // a rank that gives up with an error code, without throwing
  if (fault === "timeout") await new Promise((r) => setTimeout(r, 3000)); // never joins the next collective
}
if (!(rank === 1 && fault === "skip")) {
  await allreduce(b, new Float32Array([2]), "sum");
  await allreduce(b, new Float32Array([3]), "sum");
}
