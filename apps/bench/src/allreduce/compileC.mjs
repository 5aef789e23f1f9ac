// Builds the C reference (allreduce_bench.c) with the system's `mpicc` into the OS temp dir, in every run, so
// the C numbers always come from the MPI library that our MPIBackend loads.

import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchError } from "../errors.mjs";

/** The C source, beside this file. */
export const C_SOURCE = fileURLToPath(new URL("./allreduce_bench.c", import.meta.url));

/**
 * Compiles the C reference with `mpicc -O2` and returns the executable's path and the compiler's version line.
 * A missing `mpicc` is a `BenchError` ("PEER_FAILED") that names the Debian package to install.
 *
 * @param {string} [mpicc] the compiler wrapper (default "mpicc")
 * @returns {{ exe: string, compiler: string }}
 * @example const { exe } = compileAllreduceC(); // then: mpirun -n 2 <exe> 1048576:5:31
 */
export function compileAllreduceC(mpicc = "mpicc") {
  const exe = join(mkdtempSync(join(tmpdir(), "flux-bench-allreduce-")), "allreduce_bench");
  const r = spawnSync(mpicc, ["-O2", "-o", exe, C_SOURCE], { encoding: "utf8" });
  if (r.error && /** @type {NodeJS.ErrnoException} */ (r.error).code === "ENOENT")
    throw new BenchError(
      "PEER_FAILED",
      `the allreduce group compiles a C MPI reference with '${mpicc}', which is not installed; install Open MPI's development files (Debian/Ubuntu: apt-get install libopenmpi-dev) and run again`,
      { cause: r.error },
    );
  if (r.status !== 0)
    throw new BenchError(
      "PEER_FAILED",
      `'${mpicc} -O2 ${C_SOURCE}' failed (exit ${r.status}): ${`${r.stderr ?? ""}${r.error?.message ?? ""}`.trim()}`,
    );
  const version = spawnSync(mpicc, ["--version"], { encoding: "utf8" });
  return { exe, compiler: (version.stdout ?? "").split("\n")[0].trim() || mpicc };
}
