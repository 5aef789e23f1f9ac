// The conformance runner's browser entry: bundled by apps/smoke/conformance/chromium.mjs, it runs the suite
// of the backend named in the page's `?backend=` (default webgpu) and leaves the result in
// `window.__conformance` for the driver to read.
import { backendAvailability } from "./availability.js";
import { opConformanceSuite } from "./checks.js";
import { conformanceOptionsFor } from "./defaults.js";
import { reportSkipped, runSuite } from "./runner.js";

interface PageResult {
  passed: number;
  failed: number;
  skipped: number;
  lines: string[];
}

const params = new URLSearchParams(globalThis.location?.search ?? "");
const backendName = params.get("backend") ?? "webgpu";
const filters = params.getAll("filter");
const lines: string[] = [];
const log = (l: string): void => {
  lines.push(l);
  console.log(l);
};
const page = globalThis as unknown as { __conformance?: PageResult };
try {
  const availability = await backendAvailability(backendName);
  const r = availability.ok
    ? await runSuite(opConformanceSuite(backendName, conformanceOptionsFor(backendName)), {
        runtime: "chromium",
        log,
        filters,
      })
    : reportSkipped(availability.reason ?? "unavailable", { runtime: "chromium", log });
  page.__conformance = { passed: r.passed, failed: r.failed, skipped: r.skipped, lines };
} catch (e) {
  log(`  FAIL the runner crashed: ${e instanceof Error ? e.stack : String(e)}`);
  page.__conformance = { passed: 0, failed: 1, skipped: 0, lines };
}
