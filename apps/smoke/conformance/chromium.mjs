// Runs a conformance suite (tooling/conformance/runtime) in headless Chromium: bundles its browser
// entry with esbuild from the packages' SOURCE (the `@flux/source` condition, like vitest, Bun and Deno
// with --conditions) and the "browser" conditions (navigator.gpu, never Dawn), opens it with WebGPU on
// SwiftShader, and prints the page's lines ending with `CONFORMANCE chromium: N passed, N failed`.
//
//   node apps/smoke/conformance/chromium.mjs [backend] [filter...]     (backend default: webgpu)
//   node apps/smoke/conformance/chromium.mjs --layers [backend] ...   (the layer suite, packages/layers)
// Env: FLUX_REQUIRE_WEBGPU=1 makes a missing adapter a failure; CHROMIUM_PATH overrides the browser binary.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { runPageInChromium } from "../browser/chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const suite = process.argv.includes("--layers") ? "layers" : "ops";
const entry = join(here, "../../../tooling/conformance/runtime/browserPage.ts");
const TIMEOUT_MS = 480_000;
const [backend = "webgpu", ...filters] = process.argv.slice(2).filter((a) => !a.startsWith("-"));

let failed = 1;
try {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@flux/source"],
    write: false,
    logLevel: "silent",
  });
  const query = new URLSearchParams([
    ["suite", suite],
    ["backend", backend],
    ...filters.map((f) => ["filter", f]),
  ]);
  const files = new Map([
    ["/page.js", bundle.outputFiles[0].text],
    [
      "/",
      '<!doctype html><meta charset="utf-8"><title>flux conformance</title><script type="module" src="/page.js"></script>',
    ],
  ]);
  const result = await runPageInChromium({
    files,
    resultKey: "__conformance",
    timeoutMs: TIMEOUT_MS,
    query: String(query),
  });
  for (const l of result.lines) console.log(l);
  // A skipped suite (no adapter, FLUX_REQUIRE_WEBGPU unset) exits 0; its summary line says "1 skipped".
  failed = result.failed > 0 || (result.passed === 0 && result.skipped === 0) ? 1 : 0;
} catch (e) {
  const msg = (e.errors ?? []).map((x) => x.text).join("; ") || e.message;
  console.log(`  FAIL chromium run: ${msg}`);
  console.log("CONFORMANCE chromium: 0 passed, 1 failed");
}
// process.exit drops what a pipe has not taken yet (a long report loses its summary line): wait for stdout.
await new Promise((resolve) => process.stdout.write("", resolve));
process.exit(failed);
