#!/usr/bin/env node
// Cross-runtime smoke check of the CPU GEMM as it ships: bundles src/cpu/wasm/index.ts the way tsup bundles
// the package (esbuild, ESM, platform neutral, node:* external) and, when it exists, also uses the package's
// built dist/index.js if that exports `sgemm`. On Node, Bun and Deno each bundle must: load the wasm kernel,
// start worker threads, compute single- and multi-threaded products that match a float64 reference, and let
// the process exit by itself (workers must not keep it alive). Exits 1 on any failure.
// Usage: node scripts/smoke-wasm.mjs   (after `npm run build:wasm -w @flux/kernels`)
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(packageRoot, "../../node_modules/.bin", name);
const outDir = mkdtempSync(join(tmpdir(), "flux-sgemm-smoke-"));
await build({
  entryPoints: [join(packageRoot, "src/cpu/wasm/index.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  splitting: true,
  external: ["node:*"],
  outdir: join(outDir, "bundle"),
  logLevel: "warning",
});

const check = `
const target = process.argv.at(-1);
const { sgemm, cpuKernelInfo, cpuKernelsReady } = await import(target);
function check(transA, transB, m, n, k) {
  const lda = (transA ? k : m) + 1, ldb = transB ? n : k, ldc = m;
  const a = Float32Array.from({ length: lda * (transA ? m : k) }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: ldb * (transB ? k : n) }, () => Math.random() - 0.5);
  const c = new Float32Array(ldc * n);
  sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, ldc);
  let worst = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (transA ? a[p + i * lda] : a[i + p * lda]) * (transB ? b[j + p * ldb] : b[p + j * ldb]);
    worst = Math.max(worst, Math.abs(c[i + j * ldc] - s));
  }
  if (!(worst < 1e-3)) throw new Error("sgemm " + [transA, transB, m, n, k] + " off by " + worst);
}
check(false, false, 37, 29, 41);
const first = cpuKernelInfo();
await cpuKernelsReady();
const ready = cpuKernelInfo();
for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) check(ta, tb, 300, 260, 200);
if (!first.kind.startsWith("wasm") || ready.threads < 2) throw new Error("expected wasm with threads, got " + JSON.stringify(ready));
console.log(JSON.stringify(ready));
`;
const checkFile = join(outDir, "check.mjs");
writeFileSync(checkFile, check);

const targets = [["src bundle", pathToFileURL(join(outDir, "bundle/index.js")).href]];
const dist = join(packageRoot, "dist/index.js");
if (existsSync(dist)) {
  const exported = execFileSync(
    "node",
    ["-e", `import(${JSON.stringify(pathToFileURL(dist).href)}).then(m => console.log(typeof m.sgemm))`],
    { encoding: "utf8" },
  ).trim();
  if (exported === "function") targets.push(["dist", pathToFileURL(dist).href]);
  else console.log("[@flux/kernels] dist/index.js does not export sgemm yet: checking the src bundle only.");
}
const runtimes = [
  ["node", "node", [checkFile]],
  ["node --experimental-wasm-relaxed-simd", "node", ["--experimental-wasm-relaxed-simd", checkFile]],
  ["bun", bin("bun"), [checkFile]],
  ["deno", bin("deno"), ["run", "-A", checkFile]],
];
let failed = false;
for (const [targetName, url] of targets) {
  for (const [name, command, args] of runtimes) {
    const started = Date.now();
    try {
      // The timeout catches a process that computes correctly but never exits (a worker keeping it alive).
      const out = execFileSync(command, [...args, url], { encoding: "utf8", timeout: 60_000 }).trim();
      console.log(`ok   ${targetName} on ${name}: ${out} (exited after ${Date.now() - started} ms)`);
    } catch (error) {
      failed = true;
      console.log(
        `FAIL ${targetName} on ${name}: ${String(error.stderr || error.message)
          .trim()
          .split("\n")
          .slice(-3)
          .join(" | ")}`,
      );
    }
  }
}
rmSync(outDir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
