// The options each backend's conformance run uses everywhere (vitest, Bun, Deno, Chromium), so that the
// runtimes check exactly the same thing.
import type { OpConformanceOptions } from "./checks.js";

/**
 * The suite options for `backendName`: WebGPU stores no f64, so it runs in f32 against the CPU's f64
 * gradients, with fewer fast-check runs per property (every run compiles and dispatches GPU work).
 *
 * @example
 * opConformanceSuite("webgpu", conformanceOptionsFor("webgpu"));
 */
export function conformanceOptionsFor(backendName: string): OpConformanceOptions {
  if (backendName === "webgpu") return { dtype: "f32", numRuns: 6 };
  return {};
}
