// The suites the runtime runners can run, with the options each backend uses everywhere (vitest, Bun, Deno,
// Chromium), so that the runtimes check exactly the same thing.
import type { DType } from "@flux/kernels";
import { layerConformanceSuite } from "../../../packages/layers/src/conformance/suite.js";
import { opConformanceSuite } from "./checks.js";
import { conformanceOptionsFor } from "./defaults.js";
import type { Suite } from "./suite.js";

/** The op suite (tooling/conformance) or the layer suite (packages/layers/src/conformance). */
export type SuiteName = "ops" | "layers";

/**
 * The suite `name` on `backendName`, with that backend's defaults, overridden by `dtype` and (ops)
 * `numRuns` when given (as strings, from a command line or a page's query).
 *
 * @example
 * await runSuite(suiteFor("layers", "webgpu"), { runtime: "bun" });
 */
export function suiteFor(
  name: SuiteName,
  backendName: string,
  overrides: { dtype?: string | undefined; numRuns?: string | undefined } = {},
): Suite {
  const dtype = overrides.dtype ? { dtype: overrides.dtype as DType } : {};
  if (name === "layers") return layerConformanceSuite(backendName, dtype);
  return opConformanceSuite(backendName, {
    ...conformanceOptionsFor(backendName),
    ...dtype,
    ...(overrides.numRuns ? { numRuns: Number(overrides.numRuns) } : {}),
  });
}
