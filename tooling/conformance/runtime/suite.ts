// The shape every conformance suite has (the op suite of ./checks.ts, the layer suite of
// packages/layers/src/conformance/suite.ts): named async checks that throw on failure, grouped, after one
// setup. ./runner.ts runs any of them on Bun, Deno or in a browser page, ../describeSuite.ts under vitest.
// Framework-free: no vitest, no node:, no Deno.
import type { DType } from "@flux/kernels";

/** The options every suite takes. */
export interface SuiteOptions {
  /** Device id on that backend (default 0). */
  id?: number;
  /**
   * The float dtype to test in. Default: f64 when the backend stores it (then gradients are checked against
   * finite differences), else f32.
   */
  dtype?: DType;
  /** Awaited before the suite (e.g. register the backend). */
  setup?: () => void | Promise<void>;
}

/** `|got - want| <= atol + rtol |want|`, element-wise. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * What a failed conformance check throws: the message says which element or property was off; `code` is
 * the suite's stable code.
 *
 * @example
 * throw new ConformanceMismatch("[@flux/tooling] add: element 2: got 3, expected 4");
 */
export class ConformanceMismatch extends Error {
  override name = "ConformanceMismatch";
  constructor(
    message: string,
    readonly code: string = "ERR_CONFORMANCE_MISMATCH",
  ) {
    super(message);
  }
}

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
