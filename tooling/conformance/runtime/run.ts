// A conformance suite outside vitest, on the runtime that runs this file: the op suite (./checks.ts), or
// with `--layers` the layer suite (packages/layers/src/conformance: every layer and loss against PyTorch's
// numbers, with gradients, state, files, device moves and printing):
//
//   npx bun --conditions=@flux/source tooling/conformance/runtime/run.ts webgpu
//   npx deno run -A --sloppy-imports --conditions=@flux/source tooling/conformance/runtime/run.ts --layers cpu
//   (Chromium: apps/smoke/conformance/chromium.mjs bundles ./browserPage.ts)
//
// `--conditions=@flux/source` makes `@flux/kernels` resolve to packages/kernels/src (like vitest does), so
// no build is needed; without it the runtime loads the built dist/. WebGPU needs a Vulkan driver on Linux
// without a GPU: run through `node tooling/scripts/with-vulkan.mjs ...` or test-all, which set it.
// Options: `--layers`, `--dtype f32`, `--num-runs 6` (ops), and filter words (checks whose `group: name`
// contains one). Exits 1 when any check fails; a backend that cannot run here (no WebGPU adapter) is
// reported as skipped and exits 0, unless FLUX_REQUIRE_WEBGPU=1 (kernels' test gate decides).
import { runGated } from "./availability.js";
import { suiteFor } from "./suites.js";

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
function flag(name: string): boolean {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
}
const layers = flag("--layers");
const dtype = option("--dtype");
const numRuns = option("--num-runs");
const [backendName = "webgpu", ...filters] = args;

const make = () => suiteFor(layers ? "layers" : "ops", backendName, { dtype, numRuns });
const { failed, passed, skipped } = await runGated(backendName, make, { runtime, filters });
proc.exit(failed > 0 || (passed === 0 && skipped === 0) ? 1 : 0);
