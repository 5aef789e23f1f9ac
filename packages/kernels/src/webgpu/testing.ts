// Test helper: whether WebGPU tests can run here. With FLUX_REQUIRE_WEBGPU=1 (CI) a missing adapter is a
// FAILURE, never a quiet skip.
import { webgpuFunctional } from "./functional.js";

/**
 * Probes WebGPU once; resolves `true` when usable, `false` to skip, and throws when it is required.
 *
 * @example
 * const gpu = await webgpuAvailableForTests(); describe.skipIf(!gpu)("webgpu", () => { ... });
 */
export async function webgpuAvailableForTests(): Promise<boolean> {
  const probe = await webgpuFunctional();
  if (probe.ok) return true;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (env?.FLUX_REQUIRE_WEBGPU === "1") {
    throw new Error(`FLUX_REQUIRE_WEBGPU=1 but WebGPU is not usable here: ${probe.reason}`);
  }
  console.warn(`[webgpu tests skipped] ${probe.reason}`);
  return false;
}
