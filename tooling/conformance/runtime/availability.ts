// Runs a conformance suite behind kernels' one WebGPU test gate (packages/kernels/src/webgpu/testing.ts): a
// missing WebGPU adapter is a SKIP of the whole suite, printed as such, unless FLUX_REQUIRE_WEBGPU=1 (CI),
// where it is a failure: CI must never go green because the GPU suite quietly skipped itself.
import { webgpuTestGate } from "../../../packages/kernels/src/webgpu/testing.js";
import { reportFailed, reportSkipped, type RunOptions, type RunResult, runSuite } from "./runner.js";
import type { Suite } from "./suite.js";

/**
 * Runs the suite `make()` builds for `backendName`: WebGPU behind the gate (skipped, or failed when
 * required, where it cannot run); any other backend is assumed present (its setup failing is a failure).
 *
 * @example
 * const r = await runGated("webgpu", () => opConformanceSuite("webgpu"), { runtime: "deno" });
 */
export async function runGated(backendName: string, make: () => Suite, opts: RunOptions): Promise<RunResult> {
  if (backendName === "webgpu") {
    let gate: Awaited<ReturnType<typeof webgpuTestGate>>;
    try {
      gate = await webgpuTestGate();
    } catch (e) {
      return reportFailed("the WebGPU gate", e, opts);
    }
    if (!gate.run) return reportSkipped(gate.reason, opts);
  }
  return runSuite(make(), opts);
}
