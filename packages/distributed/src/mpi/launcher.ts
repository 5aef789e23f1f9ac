// What the launcher (mpirun / mpiexec) told this process through its environment.
import { readEnv } from "../runtime.js";
import type { MpiFamily } from "./abi.js";

/** The launcher's view of the job: which family started us and how many ranks it started. */
export interface LauncherInfo {
  family: MpiFamily | null;
  /** The world size the launcher announced, or `null` when we were not started by a known launcher. */
  worldSize: number | null;
  /** The variable that announced it, for error messages. */
  variable: string | null;
}

/**
 * Reads the launcher's environment: Open MPI's `mpirun` sets `OMPI_COMM_WORLD_SIZE`; MPICH's Hydra sets
 * `PMI_SIZE` (and `MPI_LOCALNRANKS`); Slurm's PMI sets `PMI_SIZE` too.
 */
export function detectLauncher(env: (name: string) => string | undefined = readEnv): LauncherInfo {
  const ompi = env("OMPI_COMM_WORLD_SIZE");
  if (ompi !== undefined)
    return { family: "openmpi", worldSize: Number(ompi), variable: "OMPI_COMM_WORLD_SIZE" };
  const pmi = env("PMI_SIZE");
  if (pmi !== undefined) return { family: "mpich", worldSize: Number(pmi), variable: "PMI_SIZE" };
  if (env("MPI_LOCALNRANKS") !== undefined) return { family: "mpich", worldSize: null, variable: null };
  return { family: null, worldSize: null, variable: null };
}

/**
 * The order in which to try the families' libraries: the launcher's family first, Open MPI otherwise
 * (the one Debian/Ubuntu's `openmpi-bin` and Homebrew's `open-mpi` install).
 */
export function familyOrder(launcher: LauncherInfo): MpiFamily[] {
  return launcher.family === "mpich" ? ["mpich", "openmpi"] : ["openmpi", "mpich"];
}
