// Serves a few in-memory files on 127.0.0.1 and opens them in headless Chromium with WebGPU on SwiftShader,
// then waits until the page sets `window[resultKey]`. Shared by the smoke checks (./run.mjs) and the op
// conformance suite (../conformance/chromium.mjs).
import { createServer } from "node:http";
import { chromium } from "playwright-core";

// These flags give headless Chromium a SwiftShader WebGPU adapter on a machine without a GPU.
export const CHROMIUM_ARGS = [
  "--enable-unsafe-webgpu",
  "--use-webgpu-adapter=swiftshader",
  "--no-sandbox",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Launches headless Chromium with the flags above: `/usr/bin/chromium`, or the binary CHROMIUM_PATH names.
 *
 * @example
 * const browser = await launchChromium(); console.log(browser.version()); await browser.close();
 */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/**
 * Opens `files` (path → body; "/" is the HTML page, visited with `query` when given) in headless Chromium and resolves the page's result:
 * the value the page stores in `window[resultKey]` once it is done. FLUX_REQUIRE_WEBGPU=1 from this
 * process is visible to the page as `globalThis.FLUX_REQUIRE_WEBGPU`; CHROMIUM_PATH overrides the binary.
 * Page errors are logged with `log`. Rejects on a timeout or a browser that cannot start.
 *
 * @example
 * const r = await runPageInChromium({ files, resultKey: "__smoke", timeoutMs: 240_000 });
 */
export async function runPageInChromium({ files, resultKey, timeoutMs, query = "", log = console.log }) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": path === "/" ? "text/html" : "text/javascript" }).end(body);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}/${query ? `?${query}` : ""}`;
  let browser;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    if (process.env.FLUX_REQUIRE_WEBGPU === "1")
      await page.addInitScript(() => {
        globalThis.FLUX_REQUIRE_WEBGPU = "1";
      });
    page.on("pageerror", (e) => log(`  page error: ${e.message}`));
    log(`chromium ${browser.version()}`);
    await page.goto(url);
    // A DOM snapshot would return before the async GPU work finishes: wait for the page to say it is done.
    await page.waitForFunction((key) => window[key] !== undefined, resultKey, { timeout: timeoutMs });
    return await page.evaluate((key) => window[key], resultKey);
  } finally {
    await browser?.close();
    server.close();
  }
}
