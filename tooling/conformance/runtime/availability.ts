// Whether the backend under test can run here at all. A missing WebGPU adapter is a SKIP of the whole
// suite, printed as such, unless FLUX_REQUIRE_WEBGPU=1 (CI), where it must fail instead: CI must never go
// green because the GPU suite quietly skipped itself.
import { webgpuFunctional } from "@flux/kernels/webgpu";

/** `ok: false` with the reason when the backend cannot run here and that absence is allowed. */
export interface Availability {
  readonly ok: boolean;
  readonly reason?: string;
}

function webgpuRequired(): boolean {
  const g = globalThis as {
    FLUX_REQUIRE_WEBGPU?: string;
    process?: { env?: Record<string, string | undefined> };
  };
  return g.FLUX_REQUIRE_WEBGPU === "1" || g.process?.env?.FLUX_REQUIRE_WEBGPU === "1";
}

/**
 * Probes the backend: WebGPU through `webgpuFunctional()`; any other backend is assumed present (its
 * setup failing is then a failure). With FLUX_REQUIRE_WEBGPU=1 an unusable WebGPU reads as available, so
 * that the suite's setup fails loudly.
 *
 * @example
 * const a = await backendAvailability("webgpu"); if (!a.ok) console.log(`skipped: ${a.reason}`);
 */
export async function backendAvailability(backendName: string): Promise<Availability> {
  if (backendName !== "webgpu" || webgpuRequired()) return { ok: true };
  const probe = await webgpuFunctional();
  return probe.ok ? { ok: true } : { ok: false, reason: probe.reason };
}
