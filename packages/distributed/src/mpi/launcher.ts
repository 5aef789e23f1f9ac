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

/**
 * How many ranks the launcher started on this node (`OMPI_COMM_WORLD_LOCAL_SIZE`, Hydra's
 * `MPI_LOCALNRANKS`), or `null` when it did not say.
 */
export function localRanks(env: (name: string) => string | undefined = readEnv): number | null {
  const n = Number(env("OMPI_COMM_WORLD_LOCAL_SIZE") ?? env("MPI_LOCALNRANKS"));
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** The number of CPU cores this process may use, or `null` where the runtime does not say. */
export async function coreCount(): Promise<number | null> {
  const fromNavigator = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  if (fromNavigator) return fromNavigator;
  try {
    const os = (await import(/* @vite-ignore */ NODE_OS)) as {
      availableParallelism?: () => number;
      cpus(): unknown[];
    };
    return os.availableParallelism?.() ?? os.cpus().length;
  } catch {
    return null;
  }
}

// A variable, not a literal, so that browser bundlers do not try to resolve a Node built-in.
const NODE_OS = "node:os";
