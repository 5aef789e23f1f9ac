// The smoke checks' WebGPU gate. They import the BUILT packages, which do not ship kernels' test gate
// (packages/kernels/src/webgpu/testing.ts, used by every other suite), so this applies the same rule with
// the built kernels' own pieces: its `webgpuFunctional` probe and its `readEnv` (the one environment reader;
// in a browser page, the `FLUX_REQUIRE_WEBGPU` global chromium.mjs sets). Outside checks/, so the runners do
// not take it for a check file.
import { readEnv } from "@flux/kernels";
import { webgpuFunctional } from "@flux/kernels/webgpu";

/**
 * Whether the WebGPU checks of `what` can run: `true` when WebGPU works; otherwise `false` after printing
 * why, or, with FLUX_REQUIRE_WEBGPU=1, after registering a failing check (a skip must not pass in CI).
 *
 * @example
 * if (!(await webgpuGate(t, "webgpu checks"))) return;
 */
export async function webgpuGate(t, what) {
  const probe = await webgpuFunctional();
  if (probe.ok) return true;
  if (readEnv("FLUX_REQUIRE_WEBGPU") === "1" || globalThis.FLUX_REQUIRE_WEBGPU === "1")
    t.check("a WebGPU adapter is usable (FLUX_REQUIRE_WEBGPU=1)", () => t.ok(false, probe.reason));
  else console.log(`  (${what} not run: ${probe.reason})`);
  return false;
}
