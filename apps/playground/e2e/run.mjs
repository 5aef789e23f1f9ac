// End-to-end test of the playground: builds it (and the @flux packages it bundles, through turbo's cache),
// serves dist/ on 127.0.0.1 at a random port, and drives headless Chromium (WebGPU on SwiftShader, the
// flags of ../../smoke/browser/chromium.mjs) through a short training run on WebGPU and one on the CPU. Checks that the page is
// cross-origin isolated, shows the webgpu device and its adapter, that the loss falls, and that the test
// grid gets predictions; saves a screenshot of the WebGPU run to test-artifacts/playground.png.
// SwiftShader is a software adapter, which @flux/devices passes over unless asked: the WebGPU run asks with
// `?device=webgpu` (gpuDevice's `force` and `allowSoftware`, the browser's form of FLUX_ALLOW_SOFTWARE_GPU=1),
// and a short `auto` run checks that it is passed over, with the reason shown.
// Prints one closing line: `PLAYGROUND: N passed, N failed`.
//   node apps/playground/e2e/run.mjs [--no-build]
// Env: CHROMIUM_PATH overrides /usr/bin/chromium; PLAYGROUND_STEPS (default 40) sets the WebGPU run's steps.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
// The headless Chromium with SwiftShader WebGPU flags, launched one way for every browser suite.
import { launchChromium } from "../../smoke/browser/chromium.mjs";
import { appRoot, distDir } from "../scripts/build.mjs";
import { serve } from "../scripts/serve.mjs";

const repoRoot = join(appRoot, "../..");
const screenshot = join(repoRoot, "test-artifacts/playground.png");
const RUN_TIMEOUT_MS = 240_000;
const GPU_STEPS = Number(process.env.PLAYGROUND_STEPS ?? 40);
const CPU_STEPS = 20;

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`  ${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

function buildAll() {
  const turbo = join(repoRoot, "node_modules/.bin/turbo");
  const r = spawnSync(
    turbo,
    ["run", "build", "--filter=@flux-apps/playground...", "--output-logs=errors-only"],
    {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    },
  );
  if (r.status !== 0) console.log((r.stdout ?? "") + (r.stderr ?? ""));
  return r.status === 0;
}

/** Opens the page with `query`, waits until training ends, returns the page and its published state. */
async function trainInPage(browser, url, query) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  await page.goto(`${url}?${query}`);
  await page.waitForFunction(() => ["done", "error"].includes(window.__playground?.phase), undefined, {
    timeout: RUN_TIMEOUT_MS,
    polling: 250,
  });
  const state = await page.evaluate(() => structuredClone(window.__playground));
  return { page, state, problems };
}

function lossFalls(losses, steps) {
  const first = mean(losses.slice(0, 5));
  const last = mean(losses.slice(-10));
  return {
    ok: losses.length === steps && losses.every(Number.isFinite) && last < 0.75 * first,
    detail: `${losses.length} steps, mean loss of the first 5 ${first.toFixed(3)} -> last 10 ${last.toFixed(3)}`,
  };
}

if (process.argv.includes("--no-build")) {
  console.log("  (build skipped: --no-build; serving the existing dist/)");
} else {
  const t0 = performance.now();
  const built = buildAll();
  check(
    "build (turbo: the @flux packages, then the playground bundle)",
    built,
    `${Math.round(performance.now() - t0)} ms`,
  );
  if (!built) {
    console.log(`PLAYGROUND: ${passed} passed, ${failed} failed`);
    process.exit(1);
  }
}

const { server, url } = await serve(distDir, { port: 0 });
let browser;
try {
  browser = await launchChromium();
} catch (e) {
  check(
    "launch headless Chromium (set CHROMIUM_PATH if it is not /usr/bin/chromium)",
    false,
    e.message.split("\n")[0],
  );
  server.close();
  console.log(`PLAYGROUND: ${passed} passed, ${failed} failed`);
  process.exit(1);
}
console.log(`playground e2e: ${url} on chromium ${browser.version()}`);
try {
  // 1. WebGPU, forced (?device=webgpu fails instead of falling back), so a silent CPU run cannot pass.
  try {
    const t = performance.now();
    const { page, state, problems } = await trainInPage(
      browser,
      url,
      `device=webgpu&steps=${GPU_STEPS}&evalEvery=20&autostart`,
    );
    const seconds = ((performance.now() - t) / 1000).toFixed(1);
    check(
      "webgpu run finished without errors",
      state.phase === "done" && problems.length === 0,
      state.error ?? (problems.join("; ") || `${seconds} s`),
    );
    check("the page is cross-origin isolated (COOP/COEP)", await page.evaluate(() => crossOriginIsolated));
    check(
      "the state names the webgpu device",
      state.device?.kind === "webgpu",
      JSON.stringify(state.device?.name),
    );
    const panel = (await page.locator("#device").textContent()) ?? "";
    check(
      "the device panel shows webgpu and the adapter",
      /webgpu/.test(panel) && /swiftshader|google|adapter/i.test(panel),
      panel.replace(/\s+/g, " ").slice(0, 160),
    );
    check(
      "adapter info comes from @flux/devices' selection report (name, vendor, hardware or software)",
      Boolean(state.device?.adapter?.name && typeof state.device.adapter.isSoftware === "boolean"),
      JSON.stringify(state.device?.adapter),
    );
    const falls = lossFalls(state.losses, GPU_STEPS);
    check("webgpu: the loss falls", falls.ok, falls.detail);
    const captions = await page.locator("#grid figcaption").allInnerTexts();
    check(
      "the test grid shows predicted labels",
      captions.length === 24 && captions.every((c) => c !== "?"),
      `${captions.length} images, e.g. ${captions.slice(0, 4).join(", ")}`,
    );
    check("test accuracy beats chance clearly", state.accuracy > 0.4, `accuracy ${state.accuracy}`);
    const inked = await page.evaluate(() => {
      const c = document.getElementById("chart");
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let blue = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && d[i + 2] > 150 && d[i] < 90) blue++;
      return blue;
    });
    check("the loss chart has a drawn curve", inked > 200, `${inked} curve pixels`);
    mkdirSync(join(repoRoot, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(
      `  screenshot: ${screenshot} (${Math.round(state.samplesPerSec)} samples/s on ${state.device?.name})`,
    );
    await page.close();
  } catch (e) {
    check("webgpu run", false, e.message.split("\n")[0]);
  }

  // 2. The CPU backend in the browser (the fallback path): short run, same checks on the loss.
  try {
    const { state, problems, page } = await trainInPage(
      browser,
      url,
      `device=cpu&steps=${CPU_STEPS}&autostart`,
    );
    check(
      "cpu run finished without errors",
      state.phase === "done" && problems.length === 0,
      state.error ?? problems.join("; "),
    );
    check("the state names the cpu device", state.device?.kind === "cpu", JSON.stringify(state.device?.name));
    const falls = lossFalls(state.losses, CPU_STEPS);
    check("cpu: the loss falls", falls.ok, `${falls.detail}, ${Math.round(state.samplesPerSec)} samples/s`);
    await page.close();
  } catch (e) {
    check("cpu run", false, e.message.split("\n")[0]);
  }

  // 3. `auto` (the default) never trains on a software adapter unless asked: on SwiftShader it takes the
  //    CPU and says why (the report's reason); on a machine with a real GPU it takes that GPU.
  try {
    const { state, problems, page } = await trainInPage(browser, url, "steps=3&autostart");
    const d = state.device;
    const note = (await page.locator("#device-note").textContent()) ?? "";
    check(
      "auto passes over a software adapter, saying why",
      problems.length === 0 &&
        (d?.kind === "webgpu"
          ? d.adapter?.isSoftware === false
          : d?.kind === "cpu" && /software/.test(d.reason ?? "") && /device=webgpu/.test(note)),
      `${d?.name}: ${d?.reason ?? d?.adapter?.name}; note: ${note}`,
    );
    await page.close();
  } catch (e) {
    check("auto device", false, e.message.split("\n")[0]);
  }

  // 4. A bad link shows its error instead of training with other settings.
  try {
    const page = await browser.newPage();
    await page.goto(`${url}?device=tpu`);
    await page.waitForFunction(() => window.__playground?.phase === "error", undefined, { timeout: 30_000 });
    const text = (await page.locator("#error").textContent()) ?? "";
    check("a bad query parameter is shown as an error", /device=tpu/.test(text), text);
    await page.close();
  } catch (e) {
    check("bad query parameter", false, e.message.split("\n")[0]);
  }
} finally {
  await browser.close();
  server.close();
}
console.log(`PLAYGROUND: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
