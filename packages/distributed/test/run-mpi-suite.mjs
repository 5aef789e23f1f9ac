#!/usr/bin/env node
// The multi-rank suite of @flux/distributed: test/cases.mjs under mpirun (-n 2 and -n 4) and under the
// threads backend (4 threads), on node, bun and deno; then test/faults.mjs (a rank that throws, is killed,
// or never arrives) on both backends. Prints "MPI: N passed, N failed" last; exits 1 on any failure.
// Without mpirun the MPI runs are skipped (FLUX_REQUIRE_MPI=1 makes that a failure).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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
const siblings = ["functors", "kernels", "optim", "layers"].map((p) => join(root, "packages", p));
for (const dir of [...siblings, pkg]) {
  const needsBuild = dir === pkg || !existsSync(join(dir, "dist/index.js"));
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
if (process.getuid?.() === 0)
  Object.assign(env, { OMPI_ALLOW_RUN_AS_ROOT: "1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: "1" });

const runtimes = [
  { name: "node", cmd: [process.execPath] },
  { name: "bun", cmd: [bin("bun")], present: existsSync(bin("bun")) },
  { name: "deno", cmd: [bin("deno"), "run", "-A"], present: existsSync(bin("deno")) },
].filter((r) => r.present !== false);

const version = spawnSync("mpirun", ["--version"], { encoding: "utf8" });
const hasMpi = version.status === 0;
const mpirun = (n) => [
  "mpirun",
  ...(/Open MPI/i.test(version.stdout) ? ["--oversubscribe"] : []),
  "-n",
  String(n),
];
if (!hasMpi) {
  if (process.env.FLUX_REQUIRE_MPI === "1") fail("mpirun not found and FLUX_REQUIRE_MPI=1");
  else console.log("skip MPI runs: mpirun not found (set FLUX_REQUIRE_MPI=1 to make this a failure)");
}

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

const FAULTS = [
  { fault: "throw", expect: /rank 1/ },
  { fault: "kill", expect: /rank 1/ },
  { fault: "timeout", expect: /rank 0[\s\S]*did not complete within 1000 ms/ },
];

function faultRun(label, argv, { fault, expect }) {
  const r = run(argv, { FLUX_FAULT: fault }, 30_000);
  const ok = r.code !== 0 && r.seconds < 10 && expect.test(r.out);
  if (ok) passed++;
  else
    fail(`${label} ${fault}: exit ${r.code} after ${r.seconds.toFixed(1)} s, output:\n${r.out.slice(-1500)}`);
  console.log(`${label} ${fault}: ${ok ? "ok" : "FAIL"} (ended with ${r.code} in ${r.seconds.toFixed(1)} s)`);
}

for (const rt of runtimes) {
  const cli = [...rt.cmd, "dist/cli.js", "--threads"];
  if (hasMpi) {
    for (const n of [2, 4])
      casesRun(`${rt.name} mpi -n ${n}`, [...mpirun(n), ...rt.cmd, "test/cases.mjs"], n);
  }
  casesRun(`${rt.name} threads 4`, [...cli, "4", "test/cases.mjs"], 4);
  for (const f of FAULTS) {
    if (hasMpi) faultRun(`${rt.name} mpi -n 2`, [...mpirun(2), ...rt.cmd, "test/faults.mjs"], f);
    faultRun(`${rt.name} threads 2`, [...cli, "2", "test/faults.mjs"], f);
  }
}

console.log(`MPI: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
