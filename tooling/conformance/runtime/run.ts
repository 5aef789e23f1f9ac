// The op conformance suite outside vitest, on the runtime that runs this file:
//
//   npx bun --conditions=@flux/source tooling/conformance/runtime/run.ts webgpu
//   npx deno run -A --sloppy-imports --conditions=@flux/source tooling/conformance/runtime/run.ts webgpu
//   (Chromium: apps/smoke/conformance/chromium.mjs bundles ./browserPage.ts)
//
// `--conditions=@flux/source` makes `@flux/kernels` resolve to packages/kernels/src (like vitest does), so
// no build is needed; without it the runtime loads the built dist/. WebGPU needs a Vulkan driver on Linux
// without a GPU: run through `node tooling/scripts/with-vulkan.mjs ...` or test-all, which set it.
// Options: `--dtype f32`, `--num-runs 6`, and filter words (checks whose `group: name` contains one).
// Exits 1 when any check fails; a backend that cannot run here (no WebGPU adapter) is reported as skipped
// and exits 0, unless FLUX_REQUIRE_WEBGPU=1.
import { backendAvailability } from "./availability.js";
import { opConformanceSuite } from "./checks.js";
import { conformanceOptionsFor } from "./defaults.js";
import { reportSkipped, runSuite } from "./runner.js";

interface ProcessLike {
  argv: string[];
  versions: Record<string, string | undefined>;
  exit(code: number): never;
}

const proc = (globalThis as unknown as { process: ProcessLike }).process;
const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
const runtime = deno ? "deno" : proc.versions.bun ? "bun" : "node";

const args = proc.argv.slice(2);
function option(name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
}
const dtype = option("--dtype");
const numRuns = option("--num-runs");
const [backendName = "webgpu", ...filters] = args;

const availability = await backendAvailability(backendName);
if (!availability.ok) {
  reportSkipped(availability.reason ?? "unavailable", { runtime });
  proc.exit(0);
}
const suite = opConformanceSuite(backendName, {
  ...conformanceOptionsFor(backendName),
  ...(dtype ? { dtype: dtype as "f32" } : {}),
  ...(numRuns ? { numRuns: Number(numRuns) } : {}),
});
const { failed, passed } = await runSuite(suite, { runtime, filters });
proc.exit(failed > 0 || passed === 0 ? 1 : 0);
