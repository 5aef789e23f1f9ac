// The `allreduce` group (`--only allreduce`, opt-in): allreduce bandwidth of the BUILT @flux/distributed,
// MPIBackend under `mpirun` and ThreadsBackend under launchThreads, on node, bun and deno, against a plain C
// MPI program compiled in this run, same sizes, same rank counts, same timing scheme. See the README section.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchError } from "../errors.mjs";
import { compileAllreduceC } from "./compileC.mjs";
import { ALLREDUCE_RANKS, ALLREDUCE_SIZES, formatSpec } from "./scheme.mjs";
import { allreduceCells, formatBytes, parseResultLines, renderAllreduceTable } from "./table.mjs";

/** Runtimes the group knows, in row order. */
export const ALLREDUCE_RUNTIMES = Object.freeze(["node", "bun", "deno"]);

/**
 * @typedef {object} AllreduceOptions
 * @property {string[]} runtimes which of ALLREDUCE_RUNTIMES to run our backends on (missing ones are noted)
 */

/**
 * @typedef {object} Runtime
 * @property {string} name
 * @property {string[]} cmd the command that runs an ES module file (its path is appended)
 * @property {string} version
 */

const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));
const RANK_SCRIPT = fileURLToPath(new URL("./rank.mjs", import.meta.url));
const THREADS_SCRIPT = fileURLToPath(new URL("./threadsMain.mjs", import.meta.url));
/** One job (every size on one rank count) may take this long before it is stopped and noted. */
const JOB_TIMEOUT_MS = 300_000;
/** How many tensors the averageGradients rows split each buffer into (a small MLP's weights and biases). */
const TREE_LEAVES = 8;

/**
 * The built @flux/distributed's entry URL, as a user's program resolves it; a missing build is a BenchError.
 *
 * @returns {string}
 */
function builtDistributed() {
  /** @type {string} */
  let url;
  try {
    url = import.meta.resolve("@flux/distributed");
  } catch (e) {
    throw new BenchError("PEER_FAILED", "cannot resolve @flux/distributed from apps/bench", { cause: e });
  }
  if (!existsSync(fileURLToPath(url)))
    throw new BenchError(
      "PEER_FAILED",
      `the built @flux/distributed is missing (${fileURLToPath(url)}); build it first: npx turbo run build --filter=@flux/distributed...`,
    );
  return url;
}

/**
 * The runtimes asked for that are present: node is this process; bun and deno are the workspace's npm copies
 * (what `npx bun` / `npx deno` run), called directly so that `mpirun` does not start one npx per rank.
 *
 * @param {string[]} names
 * @param {(msg: string) => void} log
 * @returns {Runtime[]}
 */
function findRuntimes(names, log) {
  /** @type {Runtime[]} */
  const found = [];
  for (const name of names) {
    const bin = name === "node" ? process.execPath : join(repoRoot, "node_modules", ".bin", name);
    if (!existsSync(bin)) {
      log(`allreduce: ${name} not found at ${bin}; skipping its rows`);
      continue;
    }
    const cmd = name === "deno" ? [bin, "run", "-A"] : [bin];
    const v = spawnSync(bin, ["--version"], { encoding: "utf8" });
    const version = name === "node" ? process.version : (v.stdout ?? "").split("\n")[0].trim();
    found.push({ name, cmd, version });
  }
  return found;
}

/**
 * Runs one job and returns its RESULT lines, or an error text with the tail of its output.
 *
 * @param {string[]} argv
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ lines: ReturnType<typeof parseResultLines> } | { error: string }}
 */
function runJob(argv, env) {
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: repoRoot,
    env,
    encoding: "utf8",
    timeout: JOB_TIMEOUT_MS,
    killSignal: "SIGTERM", // mpirun forwards it to its ranks
    maxBuffer: 64 << 20,
  });
  const lines = parseResultLines(r.stdout ?? "");
  if (r.status === 0 && lines.length > 0) return { lines };
  const why = r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
  const tail = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-3).join(" / ");
  return { error: `${why}${tail ? `: ${tail.slice(0, 400)}` : ""}` };
}

/**
 * Runs the group: compiles the C reference, then for each rank count runs it (blocking and nonblocking) and
 * our two backends on each runtime, every size in one job; returns the markdown section and the raw result.
 *
 * @param {AllreduceOptions} opts
 * @param {(msg: string) => void} log progress (stderr)
 * @returns {Promise<{ markdown: string, result: object }>}
 * @example const { markdown } = await runAllreduceGroup({ runtimes: ["node"] }, console.error);
 */
export async function runAllreduceGroup(opts, log) {
  const version = spawnSync("mpirun", ["--version"], { encoding: "utf8" });
  if (version.error || version.status !== 0)
    throw new BenchError(
      "PEER_FAILED",
      "the allreduce group needs mpirun (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev)",
      { cause: version.error },
    );
  const mpiVersion = (version.stdout ?? "").split("\n")[0].trim();
  const openMpi = /Open MPI/i.test(mpiVersion);
  const { exe, compiler } = compileAllreduceC();
  log(`allreduce: compiled ${exe} (${compiler})`);
  const distUrl = builtDistributed();
  const runtimes = findRuntimes(opts.runtimes, log);
  const env = { ...process.env, NO_COLOR: "1" };
  if (process.getuid?.() === 0)
    Object.assign(env, { OMPI_ALLOW_RUN_AS_ROOT: "1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: "1" });
  /** @param {number} n */
  const mpirun = (n) => ["mpirun", ...(openMpi ? ["--oversubscribe"] : []), "-n", String(n)];
  const specs = ALLREDUCE_SIZES.map(formatSpec);

  // The tree rows (one runtime: the first) time averageGradients on a gradient tree of TREE_LEAVES tensors
  // holding the same bytes: what a data-parallel training step pays, readback and new tensors included.
  const treeRuntime = runtimes[0];
  const systems = [
    { id: "c", label: "C MPI_Allreduce (mpicc -O2)" },
    { id: "c-in-place", label: "C MPI_Allreduce, MPI_IN_PLACE" },
    { id: "c-nonblocking", label: "C MPI_Iallreduce + MPI_Test loop" },
    ...runtimes.flatMap((rt) => [
      { id: `${rt.name}-mpi`, label: `${rt.name} MPIBackend` },
      { id: `${rt.name}-threads`, label: `${rt.name} ThreadsBackend` },
    ]),
    ...(treeRuntime
      ? [
          {
            id: "tree-mpi",
            label: `${treeRuntime.name} MPIBackend averageGradients, ${TREE_LEAVES} tensors`,
          },
          {
            id: "tree-threads",
            label: `${treeRuntime.name} ThreadsBackend averageGradients, ${TREE_LEAVES} tensors`,
          },
        ]
      : []),
  ];
  /** @type {Record<string, string[]>} */
  const commands = {
    c: [exe, ...specs],
    "c-in-place": [exe, "--in-place", ...specs],
    "c-nonblocking": [exe, "--nonblocking", ...specs],
  };
  for (const rt of runtimes) {
    commands[`${rt.name}-mpi`] = [...rt.cmd, RANK_SCRIPT, distUrl, ...specs];
    commands[`${rt.name}-threads`] = [...rt.cmd, THREADS_SCRIPT, "<n>", distUrl, ...specs];
  }
  if (treeRuntime) {
    const tree = ["--tree", String(TREE_LEAVES)];
    commands["tree-mpi"] = [...treeRuntime.cmd, RANK_SCRIPT, distUrl, ...tree, ...specs];
    commands["tree-threads"] = [...treeRuntime.cmd, THREADS_SCRIPT, "<n>", distUrl, ...tree, ...specs];
  }
  const cells = allreduceCells(ALLREDUCE_SIZES, ALLREDUCE_RANKS);
  /** @type {Record<string, Record<string, import("./table.mjs").AllreduceResult>>} */
  const results = Object.fromEntries(systems.map((s) => [s.id, {}]));

  for (const n of ALLREDUCE_RANKS) {
    for (const system of systems) {
      const base = commands[system.id];
      const argv = commands[system.id].includes("<n>")
        ? base.map((a) => (a === "<n>" ? String(n) : a))
        : [...mpirun(n), ...base];
      const t0 = performance.now();
      const job = runJob(argv, env);
      log(`allreduce: ${system.label}, ${n} ranks: ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
      for (const cell of cells.filter((c) => c.ranks === n)) {
        const line =
          "lines" in job ? job.lines.find((l) => l.bytes === cell.bytes && l.ranks === n) : undefined;
        results[system.id][cell.key] = line
          ? { times: line.times }
          : { error: "error" in job ? job.error : "no RESULT line for this size" };
      }
    }
  }

  const run = { cells, systems, reference: "c", results };
  const { table, notes } = renderAllreduceTable(run);
  const scheme = ALLREDUCE_SIZES.map(
    (s) => `${formatBytes(s.bytes)}: 1 checked + ${s.warmup} warm-up + ${s.reps} timed calls`,
  ).join("; ");
  const header = [
    `MPI: ${mpiVersion}${openMpi ? " (mpirun --oversubscribe)" : ""}; C reference: ${compiler}`,
    `@flux/distributed: ${fileURLToPath(distUrl)}; runtimes: ${runtimes.map((r) => `${r.name} ${r.version}`).join(", ")}`,
    `per size and job: ${scheme}; an MPI_Barrier / barrier(b) before each call; rank 0's median call time (MPI_Wtime / performance.now()); GB/s = buffer bytes / median (algorithm bandwidth, 1 GB = 1e9 B)`,
  ];
  const parts = [
    "### allreduce (@flux/distributed vs C MPI)",
    "",
    ...header.map((h) => `- ${h}`),
    "",
    table,
    "",
    "`÷ c` is the row's GB/s divided by the C MPI_Allreduce row's, same size and rank count (above 1x: faster than C). " +
      "MPIBackend reduces the caller's array in place (MPI_IN_PLACE), as the `c-in-place` row does; the " +
      `averageGradients rows average a tree of ${TREE_LEAVES} f32 tensors holding the same bytes (readback and new tensors included).`,
  ];
  if (notes.length) parts.push("", "Notes:", ...notes);
  return {
    markdown: parts.join("\n"),
    result: { header, sizes: ALLREDUCE_SIZES, ranks: ALLREDUCE_RANKS, systems, results, cExe: exe },
  };
}
