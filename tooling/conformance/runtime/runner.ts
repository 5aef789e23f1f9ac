// Runs a conformance suite without a test framework, on any runtime (Node, Bun, Deno, a browser page):
// every check in order, one failure never stops the next, one line per check and a closing
// `CONFORMANCE <runtime>: N passed, N failed` line that tooling/scripts/test-all.mjs parses.
import type { Suite } from "./suite.js";

/** What {@link runSuite} reports. */
export interface RunResult {
  readonly passed: number;
  readonly failed: number;
  /** 1 when the whole suite was skipped because its backend cannot run here (see availability.ts). */
  readonly skipped: number;
  /** `group: name` of each failed check. */
  readonly failures: readonly string[];
}

/** Options of {@link runSuite} and {@link reportSkipped}. */
export interface RunOptions {
  /** The runtime's name, printed in the summary line (`bun`, `deno`, `chromium`...). */
  readonly runtime: string;
  /** Where lines go (default `console.log`). */
  readonly log?: (line: string) => void;
  /** Only checks whose `group: name` contains one of these strings (default: all). */
  readonly filters?: readonly string[];
}

/** The summary line's prefix. */
export const SUMMARY_PREFIX = "CONFORMANCE ";

function describeError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  // fast-check repeats the counterexample and the inner message in a long block: its head is enough.
  return msg.split("\n").slice(0, 6).join("\n       ");
}

/**
 * Runs `suite`: `setup` first (a failing setup is one failure and nothing else runs), then each check.
 *
 * @example
 * const { failed } = await runSuite(opConformanceSuite("webgpu", { dtype: "f32" }), { runtime: "bun" });
 */
export async function runSuite(suite: Suite, opts: RunOptions): Promise<RunResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const failures: string[] = [];
  let passed = 0;
  const checks = suite.checks.filter(
    (c) => !opts.filters?.length || opts.filters.some((f) => `${c.group}: ${c.name}`.includes(f)),
  );
  log(`${suite.title}: ${checks.length} check(s) on ${opts.runtime}`);
  const t0 = performance.now();
  try {
    await suite.setup();
  } catch (e) {
    failures.push("setup");
    log(`  FAIL setup\n       ${describeError(e)}`);
  }
  if (failures.length === 0) {
    for (const c of checks) {
      const label = `${c.group}: ${c.name}`;
      const started = performance.now();
      try {
        await c.run();
        passed += 1;
        log(`  ok   ${label} (${Math.round(performance.now() - started)} ms)`);
      } catch (e) {
        failures.push(label);
        log(`  FAIL ${label}\n       ${describeError(e)}`);
      }
    }
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  log(`${SUMMARY_PREFIX}${opts.runtime}: ${passed} passed, ${failures.length} failed (${seconds} s)`);
  return { passed, failed: failures.length, skipped: 0, failures };
}

/**
 * Reports a suite that could not start (e.g. WebGPU required but missing) as ONE failure.
 *
 * @example
 * reportFailed("the WebGPU gate", new Error("no adapter"), { runtime: "bun" });
 */
export function reportFailed(label: string, error: unknown, opts: RunOptions): RunResult {
  const log = opts.log ?? ((l: string) => console.log(l));
  log(`  FAIL ${label}\n       ${describeError(error)}`);
  log(`${SUMMARY_PREFIX}${opts.runtime}: 0 passed, 1 failed`);
  return { passed: 0, failed: 1, skipped: 0, failures: [label] };
}

/**
 * Reports a suite that cannot run here (no adapter) as ONE skipped item, never as passed: the summary line
 * says `0 passed, 0 failed, 1 skipped` and why, and test-all counts it as skipped (a failure in CI).
 *
 * @example
 * reportSkipped("WebGPU has no adapter", { runtime: "deno" });
 */
export function reportSkipped(reason: string, opts: RunOptions): RunResult {
  const log = opts.log ?? ((l: string) => console.log(l));
  log(`${SUMMARY_PREFIX}${opts.runtime}: 0 passed, 0 failed, 1 skipped (${reason})`);
  return { passed: 0, failed: 0, skipped: 1, failures: [] };
}
