// The ONE test gate for WebGPU, used by every vitest suite in the repository (kernels, layers, optim, data,
// devices, integration, docs, demo): whether WebGPU tests can run here. With FLUX_REQUIRE_WEBGPU=1 (CI) a
// missing adapter is a FAILURE, never a quiet skip, because CI must not go green on skipped GPU suites.
// Not part of the published API (index.ts does not export it); tests import this file by path.
import { webgpuFunctional } from "./functional.js";

/** Whether FLUX_REQUIRE_WEBGPU=1 is set (in `process.env`, or as a global in a browser page). */
export function webgpuRequired(): boolean {
  const g = globalThis as {
    FLUX_REQUIRE_WEBGPU?: string;
    process?: { env?: Record<string, string | undefined> };
  };
  return g.FLUX_REQUIRE_WEBGPU === "1" || g.process?.env?.FLUX_REQUIRE_WEBGPU === "1";
}

/** Options of `webgpuAvailableForTests`. */
export interface WebGPUTestGateOptions {
  /**
   * A further condition once kernels' probe passed (e.g. "@flux/devices selects webgpu"): resolves to why
   * WebGPU is unusable for this suite, or `null` when it is usable. Treated exactly like a failed probe.
   */
  readonly also?: () => Promise<string | null>;
  /** Prefixes the skip warning and the error, e.g. "[integration]". */
  readonly label?: string;
}

/**
 * Probes WebGPU once; resolves `true` when usable, `false` to skip (after one warning), and throws when it is
 * required (FLUX_REQUIRE_WEBGPU=1).
 *
 * @example
 * const gpu = await webgpuAvailableForTests(); describe.skipIf(!gpu)("webgpu", () => { ... });
 */
export async function webgpuAvailableForTests(options: WebGPUTestGateOptions = {}): Promise<boolean> {
  const probe = await webgpuFunctional();
  const problem = probe.ok ? ((await options.also?.()) ?? null) : probe.reason;
  if (problem === null) return true;
  const label = options.label === undefined ? "" : `${options.label} `;
  if (webgpuRequired())
    throw new Error(`${label}FLUX_REQUIRE_WEBGPU=1 but WebGPU is not usable here: ${problem}`);
  console.warn(`${label}[webgpu tests skipped] ${problem}`);
  return false;
}
