// The LAYER conformance suite's browser entry (see ./browserPage.ts for the op suite): bundled by
// apps/smoke/conformance/chromium.mjs with `--layers`, it runs the suite on the backend named in the page's
// `?backend=` (default webgpu) and leaves the result in `window.__conformance` for the driver to read.
import { layerConformanceSuite } from "../../../packages/layers/src/conformance/suite.js";
import { backendAvailability } from "./availability.js";
import { reportSkipped, runSuite } from "./runner.js";

const params = new URLSearchParams(globalThis.location?.search ?? "");
const backendName = params.get("backend") ?? "webgpu";
const filters = params.getAll("filter");
const lines: string[] = [];
const log = (l: string): void => {
  lines.push(l);
  console.log(l);
};
const page = globalThis as unknown as {
  __conformance?: { passed: number; failed: number; skipped: number; lines: string[] };
};
try {
  const availability = await backendAvailability(backendName);
  const r = availability.ok
    ? await runSuite(layerConformanceSuite(backendName), { runtime: "chromium", log, filters })
    : reportSkipped(availability.reason ?? "unavailable", { runtime: "chromium", log });
  page.__conformance = { passed: r.passed, failed: r.failed, skipped: r.skipped, lines };
} catch (e) {
  log(`  FAIL the runner crashed: ${e instanceof Error ? e.stack : String(e)}`);
  page.__conformance = { passed: 0, failed: 1, skipped: 0, lines };
}
