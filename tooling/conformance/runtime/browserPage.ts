// The conformance runners' browser entry: bundled by apps/smoke/conformance/chromium.mjs, it runs the suite
// named in the page's `?suite=` (`ops`, the default, or `layers`) on the backend of `?backend=` (default
// webgpu) and leaves the result in `window.__conformance` for the driver to read.
import { runGated } from "./availability.js";
import type { RunResult } from "./runner.js";
import { type SuiteName, suiteFor } from "./suites.js";

const params = new URLSearchParams(globalThis.location?.search ?? "");
const suiteName: SuiteName = params.get("suite") === "layers" ? "layers" : "ops";
const backendName = params.get("backend") ?? "webgpu";
const filters = params.getAll("filter");
const lines: string[] = [];
const log = (l: string): void => {
  lines.push(l);
  console.log(l);
};
const page = globalThis as unknown as { __conformance?: Omit<RunResult, "failures"> & { lines: string[] } };
try {
  const r = await runGated(backendName, () => suiteFor(suiteName, backendName), {
    runtime: "chromium",
    log,
    filters,
  });
  page.__conformance = { passed: r.passed, failed: r.failed, skipped: r.skipped, lines };
} catch (e) {
  log(`  FAIL the runner crashed: ${e instanceof Error ? e.stack : String(e)}`);
  page.__conformance = { passed: 0, failed: 1, skipped: 0, lines };
}
