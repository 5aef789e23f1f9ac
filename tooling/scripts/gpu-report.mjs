// `npm run gpu:report`: what the WebGPU backend does on THIS machine's adapter, in at most 8 minutes. Meant for
// a machine with a real GPU (it keeps the GPU's own Vulkan driver; without one it runs on SwiftShader):
//   1. the adapter (description, vendor, features, limits, dtypes, matmul heuristic);
//   2. the op conformance suite on that adapter (packages/kernels/src/webgpu/conformance.webgpu.test.ts);
//   3. the bench rows (tooling/scripts/gpu-report/rows.ts): matmul TFLOPS at n = 1024..8192 (f32, and f16
//      where the device has shader-f16), an MLP and a CNN train step, each within its share of the budget
//      left after the conformance run (a row that would start after it is printed as skipped).
// Options: --quick (small sizes, as the test in tooling/scripts/gpu-report/ runs it on SwiftShader),
//          --budget <seconds> (default 480, the whole run), --skip-conformance.
// Runs against the sources through vitest (no build needed). Exits 1 when the conformance suite fails.
import { join } from "node:path";
import { bin, childEnv, exec, repoRoot, seconds, stripColours } from "./lib/exec.mjs";
import { resolveVulkanEnv } from "./vulkan-env.mjs";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const skipConformance = argv.includes("--skip-conformance");
const budgetS = argv.includes("--budget") ? Number(argv[argv.indexOf("--budget") + 1]) : 480;
if (!Number.isFinite(budgetS) || budgetS <= 0) {
  console.error("gpu-report: --budget takes a number of seconds, e.g. --budget 480");
  process.exit(2);
}
const started = performance.now();
const deadline = started + budgetS * 1000;
const vulkan = resolveVulkanEnv();
console.log(`gpu-report: ${vulkan.reason}`);
const env = childEnv({ ...vulkan.vars, FLUX_REQUIRE_WEBGPU: "1" });
const vitest = bin("vitest");

/** Runs one vitest file, echoing only its console output and summary lines; returns its exit code. */
async function runVitest(file, extraEnv, timeoutMs) {
  const r = await exec(vitest, ["run", file], { env: { ...env, ...extraEnv }, timeoutMs });
  const out = stripColours(r.output);
  const keep = out
    .split("\n")
    .filter((l) =>
      /^(adapter|features|limits|dtypes|\|)|Tests |Test Files|FAIL|×|AssertionError|Error:/.test(l.trim()),
    );
  console.log(keep.map((l) => `  ${l.trim()}`).join("\n"));
  if (r.timedOut) console.log(`  [timed out after ${seconds(timeoutMs)}]`);
  return r.code;
}

let failed = false;
if (!skipConformance) {
  console.log("\n== op conformance on the WebGPU adapter");
  // The conformance run gets at most 40% of the budget; the rows get the rest.
  const code = await runVitest(
    join(repoRoot, "packages/kernels/src/webgpu/conformance.webgpu.test.ts"),
    {},
    Math.max(30_000, 0.4 * (deadline - performance.now())),
  );
  failed = code !== 0;
  console.log(`  conformance: ${failed ? "FAILED" : "passed"} (${seconds(performance.now() - started)})`);
}

console.log(`\n== adapter and bench rows (${quick ? "quick sizes" : "full sizes"})`);
// Leave 30 s for vitest's start and the last row's tail.
const rowsBudget = Math.max(10_000, deadline - performance.now() - 30_000);
const rowsCode = await runVitest(
  join(repoRoot, "tooling/scripts/gpu-report/gpuReport.webgpu.test.ts"),
  { FLUX_GPU_REPORT_FULL: quick ? "0" : "1", FLUX_GPU_REPORT_BUDGET_MS: String(Math.floor(rowsBudget)) },
  rowsBudget + 120_000,
);
console.log(`\ngpu-report: done in ${seconds(performance.now() - started)}`);
process.exit(failed || rowsCode !== 0 ? 1 : 0);
