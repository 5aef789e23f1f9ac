// The shape every conformance suite has (the op suite of ./checks.ts, the layer suite of
// packages/layers/src/conformance/suite.ts): named async checks that throw on failure, grouped, after one
// setup. ./runner.ts runs any of them on Bun, Deno or in a browser page, ../describeSuite.ts under vitest.
// Framework-free: no vitest, no node:, no Deno.

/** One named check; `run` resolves when it passes and throws when not. */
export interface Check<G extends string = string> {
  readonly group: G;
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** A backend's whole suite: `setup` once (loads the backend), then every check in order. */
export interface Suite<G extends string = string> {
  readonly title: string;
  readonly setup: () => Promise<void>;
  readonly checks: readonly Check<G>[];
}
