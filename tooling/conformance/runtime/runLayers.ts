// The LAYER conformance suite (packages/layers/src/conformance: every layer and loss against PyTorch's
// numbers, with gradients) outside vitest, on the runtime that runs this file, like ./run.ts does for ops:
//
//   npx bun --conditions=@flux/source tooling/conformance/runtime/runLayers.ts webgpu
//   npx deno run -A --sloppy-imports --conditions=@flux/source tooling/conformance/runtime/runLayers.ts cpu
//
// Options: `--dtype f32` and filter words (checks whose `group: name` contains one). Exits 1 when any check
// fails; a backend that cannot run here (no WebGPU adapter) is reported as skipped and exits 0, unless
// FLUX_REQUIRE_WEBGPU=1.
import { layerConformanceSuite } from "../../../packages/layers/src/conformance/suite.js";
import { backendAvailability } from "./availability.js";
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
const at = args.indexOf("--dtype");
const dtype = at >= 0 ? args.splice(at, 2)[1] : undefined;
const [backendName = "webgpu", ...filters] = args;

const availability = await backendAvailability(backendName);
if (!availability.ok) {
  reportSkipped(availability.reason ?? "unavailable", { runtime });
  proc.exit(0);
}
const suite = layerConformanceSuite(backendName, dtype ? { dtype: dtype as "f32" } : {});
const { failed, passed } = await runSuite(suite, { runtime, filters });
proc.exit(failed > 0 || passed === 0 ? 1 : 0);
