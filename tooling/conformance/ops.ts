// The op conformance suite: one call per backend checks every op's VALUES against hand-checked cases and
// its GRADIENTS against central finite differences in f64 (CPU) or against the CPU backend (other
// backends, with dtype-aware tolerances), over shapes and broadcast patterns drawn by fast-check. It also
// checks that no op leaves a tensor alive.
//
//   describeOpConformance("cpu");      // packages/kernels/src/conformance.cpu.test.ts
//   describeOpConformance("webgpu");   // one more line, same suite
//
// The checks themselves live in ./runtime/checks.ts, free of vitest, so that ./runtime/run.ts runs the
// same list on Bun, Deno and in a browser page; this file only declares them as vitest tests.
import { describeSuite } from "./describeSuite.js";
import { type ConformanceGroup, type OpConformanceOptions, opConformanceSuite } from "./runtime/checks.js";

export type { OpConformanceOptions } from "./runtime/checks.js";

const GROUP_TITLES: Record<ConformanceGroup, string> = {
  values: "values (hand-checked cases)",
  gradients: "gradients (fast-check shapes and broadcast patterns)",
  errors: "errors",
};

/**
 * Declares the vitest suites that check every op on the backend `backendName`.
 *
 * @example
 * describeOpConformance("cpu");
 */
export function describeOpConformance(backendName: string, opts: OpConformanceOptions = {}): void {
  const skip = new Set(opts.skip ?? []);
  describeSuite(opConformanceSuite(backendName, opts), GROUP_TITLES, (c) => skip.has(c.name));
}
