#!/usr/bin/env node
// The multi-rank suite of @flux/distributed: test/cases.mjs under Open MPI's mpirun (-n 2 and -n 4) and under
// the threads backend (4 threads), on node, bun and deno; then test/faults.mjs (a rank that throws, is killed,
// never arrives, or ends its script without joining the others' collective) on both backends. Then a separate MPICH group: the cases under MPICH's Hydra launcher
// (-n 2 and -n 4, every runtime), the faults on node, and the refusal of a library that does not match its
// launcher (each way round). Prints "MPI: N passed, N failed" last; exits 1 on any failure.
// Launchers are named explicitly (mpirun.openmpi, mpiexec.hydra) because Debian's alternatives decide what
// plain `mpirun` means when both are installed. A missing family is skipped (FLUX_REQUIRE_MPI=1 makes that
// a failure). FLUX_MPI_ONLY=<regex> runs only the runs whose label matches (e.g. "skip|mpich -n 2$").
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(pkg, "../..");
const bin = (name) => join(root, "node_modules", ".bin", name);
let passed = 0;
let failed = 0;
const fail = (what) => {
  failed++;
  console.log(`FAIL ${what}`);
};

// The cases import ../dist (Node cannot run our TypeScript), and dist imports @flux/functors' dist; the
// training case also imports kernels', optim's and layers' dist. Siblings are built (with their own build
// script: kernels compiles its wasm first) only when their dist is missing; this package always.
// A sibling is rebuilt when its dist is missing or older than any file of its src/ (a stale dist would
// run yesterday's code, or lack an export this package now imports).
const siblings = ["functors", "kernels", "optim", "layers"].map((p) => join(root, "packages", p));
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const path = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
const stale = (dir) => {
  const built = join(dir, "dist/index.js");
  return !existsSync(built) || statSync(built).mtimeMs < newest(join(dir, "src"));
};
for (const dir of [...siblings, pkg]) {
  const needsBuild = dir === pkg || stale(dir);
  if (!needsBuild) continue;
  const argv = dir === pkg ? ["npx", "tsup", "--silent"] : ["npm", "run", "--silent", "build"];
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) {
    fail(`build of ${dir} (tsup exit ${r.status})`);
    console.log(`MPI: ${passed} passed, ${failed} failed`);
    process.exit(1);
  }
}

const env = { ...process.env, NO_COLOR: "1" };
// A library named by the caller would override the family each launcher is meant to load.
delete env.FLUX_MPI_LIBRARY;
if (process.getuid?.() === 0)
  Object.assign(env, { OMPI_ALLOW_RUN_AS_ROOT: "1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: "1" });

const runtimes = [
  { name: "node", cmd: [process.execPath] },
  { name: "bun", cmd: [bin("bun")], present: existsSync(bin("bun")) },
  { name: "deno", cmd: [bin("deno"), "run", "-A"], present: existsSync(bin("deno")) },
].filter((r) => r.present !== false);

/**
 * The first of `names` whose `--version` output matches `family`, with the version it reports, or null.
 * Debian installs `mpirun.openmpi` and `mpiexec.hydra` (= `mpirun.mpich`); elsewhere (Homebrew, a module
 * system) there may be only a plain `mpirun`/`mpiexec`, which is kept if it is the right family.
 */
function findLauncher(names, family, versionPattern) {
  for (const name of names) {
    const r = spawnSync(name, ["--version"], { encoding: "utf8" });
    const text = `${r.stdout}${r.stderr}`;
    if (r.status === 0 && family.test(text))
      return { name, version: text.match(versionPattern)?.[1] ?? "version unknown" };
  }
  return null;
}
// Open MPI's launcher names itself after argv[0]: "mpirun (Open MPI) 4.1.4", "mpirun.openmpi (OpenRTE) 4.1.4".
const openmpi = findLauncher(
  ["mpirun.openmpi", "mpirun"],
  /Open MPI|OpenRTE/,
  /\((?:Open MPI|OpenRTE)\) ([\d.]+)/,
);
const mpich = findLauncher(["mpiexec.hydra", "mpirun.mpich", "mpiexec"], /HYDRA/, /Version:\s+([\d.]+)/);
for (const [family, found, hint] of [
  ["Open MPI", openmpi, "mpirun.openmpi (apt install openmpi-bin libopenmpi-dev)"],
  ["MPICH", mpich, "mpiexec.hydra (apt install mpich libmpich-dev)"],
]) {
  if (found) continue;
  if (process.env.FLUX_REQUIRE_MPI === "1") fail(`${family} not found (${hint}) and FLUX_REQUIRE_MPI=1`);
  else console.log(`skip ${family} runs: ${hint} not found (set FLUX_REQUIRE_MPI=1 to make this a failure)`);
}
const ompiRun = (n) => [openmpi.name, "--oversubscribe", "-n", String(n)];
const hydraRun = (n) => [mpich.name, "-n", String(n)];

const only = process.env.FLUX_MPI_ONLY ? new RegExp(process.env.FLUX_MPI_ONLY) : null;
/** Whether a run is selected by FLUX_MPI_ONLY (every run when it is unset). */
const wanted = (label) => !only || only.test(label);

function run(argv, extraEnv, timeoutMs = 60_000) {
  const started = Date.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: pkg,
    env: { ...env, ...extraEnv },
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  return {
    code: r.status ?? (r.signal ? 128 : 1),
    out: `${r.stdout}${r.stderr}`,
    seconds: (Date.now() - started) / 1000,
  };
}

function casesRun(label, argv, n) {
  if (!wanted(label)) return;
  const r = run(argv, { FLUX_EXPECT_N: String(n) });
  const lines = r.out.split("\n");
  const oks = lines.filter((l) => l.startsWith("ok ")).length;
  const fails = lines.filter((l) => l.startsWith("FAIL "));
  passed += oks;
  for (const f of fails) fail(`${label}: ${f.slice(5)}`);
  if (r.code !== 0 || !lines.some((l) => l.startsWith("cases: ")))
    fail(`${label}: exit ${r.code}\n${r.out.slice(-1500)}`);
  console.log(`${label}: ${oks} ok, ${fails.length} failed (${r.seconds.toFixed(1)} s)`);
}

// skip: rank 1 ends normally without the last collectives; every other rank must fail at once (well within
// the 5-minute default deadline), naming rank 1 and the collective it skipped.
const SKIP = {
  fault: "skip",
  expect: /allreduce \(signature check\) on rank \d can never complete: rank 1 finished/,
};
const FAULTS = [
  { fault: "throw", expect: /rank 1/ },
  { fault: "kill", expect: /rank 1/ },
  { fault: "exit", expect: /rank 1[\s\S]*(exiting|exited) with code 3/ },
  { fault: "timeout", expect: /rank 0[\s\S]*did not complete within 1000 ms/ },
  SKIP,
];
// Hydra reports a killed rank by PID and signal, not by rank.
const HYDRA_FAULTS = FAULTS.map((f) =>
  f.fault === "kill" ? { ...f, expect: /BAD TERMINATION[\s\S]*signal 9/ } : f,
);

function faultRun(label, argv, { fault, expect }) {
  if (!wanted(`${label} ${fault}`)) return;
  const r = run(argv, { FLUX_FAULT: fault }, 30_000);
  const ok = r.code !== 0 && r.seconds < 10 && expect.test(r.out);
  if (ok) passed++;
  else
    fail(`${label} ${fault}: exit ${r.code} after ${r.seconds.toFixed(1)} s, output:\n${r.out.slice(-1500)}`);
  console.log(`${label} ${fault}: ${ok ? "ok" : "FAIL"} (ended with ${r.code} in ${r.seconds.toFixed(1)} s)`);
}

/** The threads launcher hands every rank the script's own arguments, as mpirun does. */
function argvRun(label, argv) {
  if (!wanted(label)) return;
  const r = run(argv, {});
  const want = JSON.stringify(["--data", "x", "--epochs", "2"]);
  const ok = r.code === 0 && [0, 1].every((k) => r.out.includes(`argv rank ${k}: ${want}`));
  if (ok) passed++;
  else fail(`${label}: exit ${r.code}, output:\n${r.out.slice(-1500)}`);
  console.log(`${label}: ${ok ? "ok" : "FAIL"} (${r.seconds.toFixed(1)} s)`);
}

if (openmpi) console.log(`== Open MPI (${openmpi.name}, Open MPI ${openmpi.version}) and threads`);
for (const rt of runtimes) {
  const cli = [...rt.cmd, "dist/cli.js", "--threads"];
  if (openmpi) {
    for (const n of [2, 4])
      casesRun(`${rt.name} openmpi -n ${n}`, [...ompiRun(n), ...rt.cmd, "test/cases.mjs"], n);
  }
  casesRun(`${rt.name} threads 4`, [...cli, "4", "test/cases.mjs"], 4);
  argvRun(`${rt.name} threads 2 forwards the script's arguments`, [
    ...cli,
    "2",
    "test/argv.mjs",
    "--data",
    "x",
    "--epochs",
    "2",
  ]);
  for (const f of FAULTS) {
    if (openmpi) faultRun(`${rt.name} openmpi -n 2`, [...ompiRun(2), ...rt.cmd, "test/faults.mjs"], f);
    faultRun(`${rt.name} threads 2`, [...cli, "2", "test/faults.mjs"], f);
  }
}
// Three ranks wait for the one that skipped: all must end, not only the first to notice.
if (openmpi) faultRun("node openmpi -n 4", [...ompiRun(4), process.execPath, "test/faults.mjs"], SKIP);
faultRun("node threads 4", [process.execPath, "dist/cli.js", "--threads", "4", "test/faults.mjs"], SKIP);

/** A job whose library does not match its launcher must end with our refusal, not run N one-rank jobs. */
function refusalRun(label, argv, library) {
  if (!wanted(label)) return;
  const r = run(argv, { FLUX_MPI_LIBRARY: library }, 30_000);
  const ok =
    r.code !== 0 &&
    /ERR_DISTRIBUTED_UNAVAILABLE/.test(r.out) &&
    /MPI_COMM_WORLD has 1 rank\(s\) but the launcher set \w+=2/.test(r.out);
  if (ok) passed++;
  else fail(`${label}: exit ${r.code}, output:\n${r.out.slice(-1500)}`);
  console.log(`${label}: ${ok ? "ok" : "FAIL"} (ended with ${r.code} in ${r.seconds.toFixed(1)} s)`);
}

if (mpich) {
  console.log(`== MPICH (${mpich.name}, Hydra ${mpich.version})`);
  for (const rt of runtimes)
    for (const n of [2, 4])
      casesRun(`${rt.name} mpich -n ${n}`, [...hydraRun(n), ...rt.cmd, "test/cases.mjs"], n);
  // The faults exercise the launcher's teardown, not the runtime: node is enough here.
  for (const f of HYDRA_FAULTS)
    faultRun("node mpich -n 2", [...hydraRun(2), process.execPath, "test/faults.mjs"], f);
  faultRun("node mpich -n 4", [...hydraRun(4), process.execPath, "test/faults.mjs"], SKIP);
  refusalRun(
    "node mpich -n 2, Open MPI library: refused",
    [...hydraRun(2), process.execPath, "test/cases.mjs"],
    "libmpi.so.40",
  );
  if (openmpi)
    refusalRun(
      "node openmpi -n 2, MPICH library: refused",
      [...ompiRun(2), process.execPath, "test/cases.mjs"],
      "libmpich.so.12",
    );
}

console.log(`MPI: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
