#!/usr/bin/env node
// Measures the CPU GEMM kinds (js, wasm-simd, wasm-relaxed-simd; 1..SGEMM_THREADS threads) on Node, Node with
// --experimental-wasm-relaxed-simd, Bun and Deno, and tfjs-wasm and numpy's matmul in the same run, as GFLOPS.
// A measurement script, not a timed test. Needs `npm run build:wasm -w @flux/kernels` first.
// Usage: node scripts/bench-sgemm.mjs   (env: SGEMM_SIZES=128,256,512,1024 SGEMM_THREADS=2 SGEMM_SECONDS=0.4
//        SGEMM_BLOCKING=mc,kc,nc SGEMM_RUNTIMES=node,node-relaxed,bun,deno,tfjs-wasm,numpy,numpy-1thread)
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(packageRoot, "../../node_modules/.bin", name);
const outDir = mkdtempSync(join(tmpdir(), "flux-sgemm-bench-"));
const entry = join(outDir, "bench.mjs");
await build({
  entryPoints: [join(packageRoot, "scripts/sgemm-bench-entry.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  outfile: entry,
  logLevel: "warning",
});

const sizes = process.env.SGEMM_SIZES ?? "128,256,512,1024";
const numpy = `
import os, time, json, numpy as np
for n in [${sizes}]:
    a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
    a @ b; best = 1e9; stop = time.perf_counter() + 0.4
    while time.perf_counter() < stop:
        t = time.perf_counter(); reps = 0
        while True:
            a @ b; reps += 1
            if time.perf_counter() - t > 0.13: break
        best = min(best, (time.perf_counter() - t) / reps)
    print(json.dumps({"runtime": "python", "kind": "numpy", "threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "0")) or "default", "n": n, "trans": "NN", "gflops": round(2 * n**3 / best / 1e9, 1)}))
`;
// tfjs-wasm (XNNPACK; one thread in Node), the wasm peer the bench compares against, with A' as well.
const tfjsFile = join(outDir, "tfjs.mjs");
writeFileSync(
  tfjsFile,
  `import * as tf from ${JSON.stringify(import.meta.resolve("@tensorflow/tfjs"))};
import ${JSON.stringify(import.meta.resolve("@tensorflow/tfjs-backend-wasm"))};
await tf.setBackend("wasm");
await tf.ready();
for (const n of [${sizes}]) for (const [ta, tb] of [[false, false], [true, false]]) {
  const a = tf.randomUniform([n, n]), b = tf.randomUniform([n, n]);
  const run = () => { const c = tf.matMul(a, b, ta, tb); c.dataSync(); c.dispose(); };
  run(); let best = 1e9; const stop = performance.now() + 400;
  while (performance.now() < stop) {
    const t = performance.now(); let r = 0;
    do { run(); r++; } while (performance.now() - t < 130);
    best = Math.min(best, (performance.now() - t) / r);
  }
  console.log(JSON.stringify({ kind: "tfjs-wasm", threads: 1, n, trans: (ta ? "T" : "N") + (tb ? "T" : "N"), gflops: +(2 * n ** 3 / best / 1e6).toFixed(1) }));
}
`,
);
const runtimes = {
  "tfjs-wasm": ["node", [tfjsFile]],
  node: ["node", [entry]],
  "node-relaxed": ["node", ["--experimental-wasm-relaxed-simd", entry]],
  bun: [bin("bun"), [entry]],
  deno: [bin("deno"), ["run", "-A", entry]],
  numpy: ["bash", ["-c", `unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; python3 -c '${numpy}'`]],
  "numpy-1thread": [
    "bash",
    ["-c", `unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE; OPENBLAS_NUM_THREADS=1 python3 -c '${numpy}'`],
  ],
};
const chosen = (process.env.SGEMM_RUNTIMES ?? Object.keys(runtimes).join(",")).split(",");

const rows = [];
for (const name of chosen) {
  const [command, args] = runtimes[name];
  try {
    const out = execFileSync(command, args, { encoding: "utf8", env: process.env, timeout: 600_000 });
    for (const line of out.split("\n").filter((l) => l.startsWith("{"))) {
      rows.push({ ...JSON.parse(line), runtime: name });
    }
  } catch (error) {
    console.error(`[@flux/kernels] bench on ${name} failed: ${error.message.split("\n")[0]}`);
  }
}
rmSync(outDir, { recursive: true, force: true });

// One line per (runtime, kind, threads, trans), one column per size.
const table = new Map();
for (const r of rows) {
  const key = `${r.runtime.padEnd(13)} ${r.kind.padEnd(18)} ${String(r.threads).padEnd(8)} ${r.trans}`;
  if (!table.has(key)) table.set(key, {});
  table.get(key)[r.n] = r.gflops;
}
const sizeList = sizes.split(",");
console.log(
  `${"runtime".padEnd(13)} ${"kind".padEnd(18)} ${"threads".padEnd(8)} op  ${sizeList.map((n) => `n=${n}`.padStart(8)).join("")}   (GFLOPS)`,
);
for (const [key, bySize] of table) {
  console.log(`${key}  ${sizeList.map((n) => String(bySize[n] ?? "-").padStart(8)).join("")}`);
}
