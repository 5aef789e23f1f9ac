// The ONE test gate for WebGPU, used by every suite in the repository: the vitest suites (kernels, layers,
// optim, data, devices, integration, docs, demo) through `webgpuAvailableForTests`, the conformance runners on
// Bun, Deno and Chromium (tooling/conformance/runtime) through `webgpuTestGate`. It says whether WebGPU tests
// can run here. With FLUX_REQUIRE_WEBGPU=1 (CI) a missing adapter is a FAILURE, never a quiet skip, because
// CI must not go green on skipped GPU suites.
// Not part of the published API (index.ts does not export it); tests import this file by path.
import { readEnv } from "../env.js";
import { webgpuFunctional } from "./functional.js";

/**
 * Whether FLUX_REQUIRE_WEBGPU=1 is set: in the environment (kernels' `readEnv`, the one reader), or as a
 * global of that name in a browser page (apps/smoke/browser/chromium.mjs sets it from its own environment).
 */
export function webgpuRequired(): boolean {
  const g = globalThis as { FLUX_REQUIRE_WEBGPU?: string };
  return readEnv("FLUX_REQUIRE_WEBGPU") === "1" || g.FLUX_REQUIRE_WEBGPU === "1";
}

/** Options of `webgpuTestGate` and `webgpuAvailableForTests`. */
export interface WebGPUTestGateOptions {
  /**
   * A further condition once kernels' probe passed (e.g. "@flux/devices selects webgpu"): resolves to why
   * WebGPU is unusable for this suite, or `null` when it is usable. Treated exactly like a failed probe.
   */
  readonly also?: () => Promise<string | null>;
  /** Prefixes the skip warning and the error, e.g. "[integration]". */
  readonly label?: string;
}

/** What the gate decided: run the WebGPU tests, or skip them (`reason` says why). */
export type WebGPUTestGate = { readonly run: true } | { readonly run: false; readonly reason: string };

/**
 * Probes WebGPU once, without printing: `{ run: true }` when usable, `{ run: false, reason }` to skip, and
 * throws when WebGPU is required (FLUX_REQUIRE_WEBGPU=1) but unusable.
 *
 * @example
 * const gate = await webgpuTestGate(); if (!gate.run) console.log(`skipped: ${gate.reason}`);
 */
export async function webgpuTestGate(options: WebGPUTestGateOptions = {}): Promise<WebGPUTestGate> {
  const probe = await webgpuFunctional();
  const problem = probe.ok ? ((await options.also?.()) ?? null) : probe.reason;
  if (problem === null) return { run: true };
  if (webgpuRequired()) {
    const label = options.label === undefined ? "" : `${options.label} `;
    throw new Error(`${label}FLUX_REQUIRE_WEBGPU=1 but WebGPU is not usable here: ${problem}`);
  }
  return { run: false, reason: problem };
}

/**
 * The gate for vitest: resolves `true` when WebGPU is usable, `false` to skip (after one warning), and
 * throws when it is required (FLUX_REQUIRE_WEBGPU=1).
 *
 * @example
 * const gpu = await webgpuAvailableForTests(); describe.skipIf(!gpu)("webgpu", () => { ... });
 */
export async function webgpuAvailableForTests(options: WebGPUTestGateOptions = {}): Promise<boolean> {
  const gate = await webgpuTestGate(options);
  if (!gate.run)
    console.warn(
      `${options.label === undefined ? "" : `${options.label} `}[webgpu tests skipped] ${gate.reason}`,
    );
  return gate.run;
}
