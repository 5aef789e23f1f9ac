// Runs the smoke checks in headless Chromium: bundles each apps/smoke/checks/*.mjs for the browser with
// esbuild (so the packages' "browser" conditions apply: navigator.gpu, never Dawn), serves them on
// 127.0.0.1, drives /usr/bin/chromium through playwright-core with WebGPU on SwiftShader, waits in the page
// until the checks finish, and prints the page's lines ending with `SMOKE chromium: N passed, N failed`.
//
//   node apps/smoke/browser/run.mjs [filter...]      (build the packages first: npx turbo run build)
// Env: FLUX_REQUIRE_WEBGPU=1 is passed into the page; CHROMIUM_PATH overrides the browser binary.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { runPageInChromium } from "./chromium.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const checksDir = join(here, "../checks");
const TIMEOUT_MS = 240_000;

const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = readdirSync(checksDir)
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => f.replace(/\.mjs$/, ""));

/** Bundles one check for the browser; a bundling failure becomes a failed check, not a crash. */
async function bundle(name) {
  try {
    const r = await build({
      entryPoints: [join(checksDir, `${name}.mjs`)],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "silent",
    });
    return { ok: true, code: r.outputFiles[0].text };
  } catch (e) {
    const msg = (e.errors ?? []).map((x) => x.text).join("; ") || e.message;
    return {
      ok: false,
      code: `throw new Error(${JSON.stringify(`bundling for the browser failed: ${msg}`)});`,
    };
  }
}

const files = new Map();
files.set("/harness.js", readFileSync(join(here, "../harness.mjs"), "utf8"));
for (const name of names) files.set(`/checks/${name}.js`, (await bundle(name)).code);
files.set(
  "/page.js",
  `import { createHarness } from "./harness.js";
const lines = [];
const h = createHarness({ runtime: "chromium", log: (l) => { lines.push(l); console.log(l); } });
try {
  for (const name of ${JSON.stringify(names)}) await h.runModule(name, () => import("./checks/" + name + ".js"));
} finally {
  window.__smoke = { ...h.summary(), lines };
}`,
);
files.set(
  "/",
  '<!doctype html><meta charset="utf-8"><title>flux smoke</title><script type="module" src="/page.js"></script>',
);

let failed = 1;
try {
  console.log(`smoke: ${names.length} check file(s)`);
  const result = await runPageInChromium({ files, resultKey: "__smoke", timeoutMs: TIMEOUT_MS });
  for (const l of result.lines) console.log(l);
  failed = result.failed > 0 || result.passed === 0 ? 1 : 0;
} catch (e) {
  console.log(`  FAIL chromium run: ${e.message}`);
  console.log("SMOKE chromium: 0 passed, 1 failed");
}
// process.exit drops what a pipe has not taken yet (a long report loses its summary line): wait for stdout.
await new Promise((resolve) => process.stdout.write("", resolve));
process.exit(failed);
