// `npm test`: every suite of the monorepo, in order, then ONE closing line `N passed, N failed, N skipped`.
//
// Suites: build, generated-file checks (tooling/scripts/check-*.mjs), lint, typecheck, docs (typedoc, zero
// warnings), vitest (under a Vulkan driver WebGPU can use), the smoke app on node/bun/deno, pack-and-install
// + publint. The closing summary names every skipped test.
// With FLUX_REQUIRE_WEBGPU=1 or FLUX_REQUIRE_MPI=1 (CI sets both) a skipped test counts as a failure:
// CI must not go green because the GPU or MPI tests quietly skipped themselves.
// Options: --only <suite,...> runs just those suites (names as in the table), --bail stops at the first failure.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, childEnv, exec, repoRoot, seconds, stripColours, tail } from "./lib/exec.mjs";
import { parseSummaryLine, skippedLines } from "./lib/summary-line.mjs";
import { resolveVulkanEnv } from "./vulkan-env.mjs";

const argv = process.argv.slice(2);
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1].split(",") : undefined;
const bail = argv.includes("--bail");
const requireAll = ["FLUX_REQUIRE_WEBGPU", "FLUX_REQUIRE_MPI"].filter((k) => process.env[k] === "1");
// On a machine without a GPU this points Dawn at SwiftShader and sets FLUX_ALLOW_SOFTWARE_GPU=1, so that
// gpuDevice() (which passes over software adapters unless allowed) still runs the WebGPU tests there.
const vulkan = resolveVulkanEnv();
// Open MPI refuses to start as root (containers, CI) unless told it is fine; harmless for other users.
const mpiAsRoot =
  process.getuid?.() === 0 ? { OMPI_ALLOW_RUN_AS_ROOT: "1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: "1" } : {};
const env = childEnv({ ...mpiAsRoot, ...vulkan.vars });
const scratch = mkdtempSync(join(tmpdir(), "flux-test-all-"));

/** One whole-command check: passes when the command exits 0. */
async function commandCheck(label, cmd, args, timeoutMs) {
  const r = await exec(cmd, args, { env, timeoutMs });
  return { passed: r.code === 0 ? 1 : 0, failed: r.code === 0 ? 0 : 1, skipped: 0, output: r.output, label };
}

const suites = [
  {
    name: "build",
    run: () =>
      commandCheck("turbo run build", bin("turbo"), ["run", "build", "--output-logs=errors-only"], 600_000),
  },
  {
    name: "generated",
    run: async () => {
      const dir = join(repoRoot, "tooling/scripts");
      const checks = readdirSync(dir)
        .filter((f) => /^check-.*\.mjs$/.test(f))
        .sort();
      const out = {
        passed: 0,
        failed: 0,
        skipped: 0,
        output: "",
        label: checks.join(", ") || "(no check-*.mjs yet)",
      };
      for (const f of checks) {
        const r = await exec(process.execPath, [join(dir, f)], { env, timeoutMs: 300_000 });
        if (r.code === 0) out.passed += 1;
        else {
          out.failed += 1;
          out.output += `--- ${f} (exit ${r.code})\n${r.output}\n`;
        }
      }
      return out;
    },
  },
  {
    name: "lint",
    run: async () => {
      const args = ["check", "--colors=off", "--diagnostic-level=error", "--max-diagnostics=200", "."];
      const r = await commandCheck("biome check .", bin("biome"), args, 300_000);
      // Biome prints one header per diagnostic (`path:line:col category ━━━`): list them before the tail.
      const headers = r.output.split("\n").filter((l) => /^\S.*━━━/.test(l) && !/DEPRECATED|^check /.test(l));
      if (r.failed)
        r.label += `; ${headers.length} diagnostic(s):\n${headers.map((h) => `      ${h.replace(/\s*━+$/, "")}`).join("\n")}`;
      return r;
    },
  },
  {
    name: "typecheck",
    run: () =>
      commandCheck(
        "turbo run typecheck",
        bin("turbo"),
        ["run", "typecheck", "--output-logs=errors-only"],
        600_000,
      ),
  },
  {
    // The API reference (`npm run docs`: typedoc over every package's TSDoc), with warnings as errors: an
    // export that references an undocumented type, a broken {@link} or a type error fails here. Written to
    // a scratch folder; the build suite has already generated the wasm sources kernels' docs need.
    name: "docs",
    run: () =>
      commandCheck(
        "typedoc --treatWarningsAsErrors",
        bin("typedoc"),
        ["--treatWarningsAsErrors", "--logLevel", "Warn", "--out", join(scratch, "api")],
        600_000,
      ),
  },
  {
    name: "vitest",
    run: async () => {
      const jsonFile = join(scratch, "vitest.json");
      const r = await exec(
        bin("vitest"),
        [
          "run",
          "--passWithNoTests",
          "--reporter=default",
          "--reporter=json",
          `--outputFile.json=${jsonFile}`,
        ],
        { env: { ...env, NO_COLOR: "1" }, timeoutMs: 900_000 },
      );
      // The default reporter's closing summary (Test Files / Tests / Duration) goes to the console as is.
      const summary = stripColours(r.output)
        .split("\n")
        .filter((l) => /^\s*(Test Files|Tests|Errors|Duration)\s/.test(l));
      if (summary.length) console.log(summary.map((l) => `    ${l.trim()}`).join("\n"));
      if (!existsSync(jsonFile))
        return { passed: 0, failed: 1, skipped: 0, output: r.output, label: "vitest wrote no JSON report" };
      const report = JSON.parse(readFileSync(jsonFile, "utf8"));
      const tests = report.testResults.flatMap((f) =>
        f.assertionResults.map((a) => ({ ...a, file: f.name })),
      );
      const passed = tests.filter((t) => t.status === "passed").length;
      let failed = tests.filter((t) => t.status === "failed").length;
      const skippedTests = tests.filter((t) => ["skipped", "pending", "todo", "disabled"].includes(t.status));
      // A file that fails to load has no tests but is a failure all the same.
      const brokenFiles = report.testResults.filter(
        (f) => f.status === "failed" && f.assertionResults.length === 0,
      );
      failed += brokenFiles.length;
      if (r.code !== 0 && failed === 0) failed = 1; // e.g. an unhandled error after all tests passed
      let skipped = skippedTests.length;
      let output = r.output;
      const nameOf = (t) => `${t.file.replace(repoRoot, "")} > ${t.fullName}`;
      // A test titled "[optional: ...]" needs a tool CI does not install (python3 with torch); its skip is
      // not a GPU or MPI skip, so it stays a skip.
      const required = skippedTests.filter((t) => !/\[optional: [^\]]+\]/.test(t.fullName));
      let stillSkipped = skippedTests;
      if (requireAll.length > 0 && required.length > 0) {
        skipped -= required.length;
        stillSkipped = skippedTests.filter((t) => !required.includes(t));
        const list = required.map((t) => `    ${nameOf(t)}`).join("\n");
        output += `\n${requireAll.join(" + ")} set: ${required.length} skipped test(s) count as failures:\n${list}\n`;
        console.log(
          `    ${required.length} skipped test(s) count as failures (${requireAll.join(", ")}):\n${list}`,
        );
        failed += required.length;
      }
      return {
        passed,
        failed,
        skipped,
        skippedNames: stillSkipped.map(nameOf),
        output,
        label: `${report.numTotalTests} tests in ${report.testResults.length} files`,
      };
    },
  },
  ...[
    ["node", process.execPath, []],
    ["bun", bin("bun"), ["--no-install"]],
    ["deno", bin("deno"), ["run", "-A"]],
  ].map(([runtime, cmd, pre]) => ({
    name: `smoke ${runtime}`,
    run: async () => {
      const r = await exec(cmd, [...pre, join(repoRoot, "apps/smoke/run.mjs")], { env, timeoutMs: 300_000 });
      const counts = parseSummaryLine(r.output, "SMOKE ");
      if (!counts)
        return { passed: 0, failed: 1, skipped: 0, output: r.output, label: "no SMOKE summary line" };
      if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
      return { ...counts, skipped: 0, output: r.output, label: `apps/smoke on ${runtime}` };
    },
  })),
  {
    // The same smoke checks bundled for the browser and run in headless Chromium (WebGPU on SwiftShader).
    name: "smoke chromium",
    run: async () => {
      const script = join(repoRoot, "apps/smoke/browser/run.mjs");
      const r = await exec(process.execPath, [script], { env, timeoutMs: 300_000 });
      const counts = parseSummaryLine(r.output, "SMOKE ");
      if (!counts)
        return { passed: 0, failed: 1, skipped: 0, output: r.output, label: "no SMOKE summary line" };
      if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
      return { ...counts, skipped: 0, output: r.output, label: "apps/smoke in headless Chromium" };
    },
  },
  // The op conformance suite (tooling/conformance) on WebGPU outside vitest: Bun and Deno run its .ts
  // runner from the packages' source; Chromium runs the same runner bundled into a page (SwiftShader).
  ...[
    ["bun", bin("bun"), ["--no-install", "--conditions=@flux/source"]],
    // Deno maps `./x.js` to `./x.ts` (the TypeScript convention the sources use) only with --sloppy-imports.
    ["deno", bin("deno"), ["run", "-A", "--sloppy-imports", "--conditions=@flux/source"]],
    ["chromium", process.execPath, []],
  ].map(([runtime, cmd, pre]) => ({
    name: `conformance ${runtime}`,
    run: async () => {
      const script =
        runtime === "chromium" ? "apps/smoke/conformance/chromium.mjs" : "tooling/conformance/runtime/run.ts";
      const r = await exec(cmd, [...pre, join(repoRoot, script), "webgpu"], { env, timeoutMs: 600_000 });
      const counts = parseSummaryLine(r.output, "CONFORMANCE ");
      if (!counts)
        return { passed: 0, failed: 1, skipped: 0, output: r.output, label: "no CONFORMANCE summary line" };
      if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
      // "1 skipped": no WebGPU adapter here; under FLUX_REQUIRE_WEBGPU=1 the runner fails instead.
      const line = r.output.split("\n").findLast((l) => l.startsWith("CONFORMANCE ")) ?? "";
      const skipped = Number(/(\d+) skipped/.exec(line)?.[1] ?? 0);
      const why = /skipped \((.*)\)\s*$/.exec(line)?.[1];
      return {
        ...counts,
        skipped,
        skippedNames: skipped > 0 ? [`op conformance on ${runtime}, webgpu${why ? ` (${why})` : ""}`] : [],
        output: r.output,
        label: `op conformance, webgpu f32 vs cpu, on ${runtime}`,
      };
    },
  })),
  // The layer conformance suite (packages/layers/src/conformance) on WebGPU outside vitest, the same way.
  ...[
    ["bun", bin("bun"), ["--no-install", "--conditions=@flux/source"]],
    ["deno", bin("deno"), ["run", "-A", "--sloppy-imports", "--conditions=@flux/source"]],
    ["chromium", process.execPath, []],
  ].map(([runtime, cmd, pre]) => ({
    name: `layer conformance ${runtime}`,
    run: async () => {
      const args =
        runtime === "chromium"
          ? [join(repoRoot, "apps/smoke/conformance/chromium.mjs"), "--layers", "webgpu"]
          : [...pre, join(repoRoot, "tooling/conformance/runtime/run.ts"), "--layers", "webgpu"];
      const r = await exec(cmd, args, { env, timeoutMs: 600_000 });
      const counts = parseSummaryLine(r.output, "CONFORMANCE ");
      if (!counts)
        return { passed: 0, failed: 1, skipped: 0, output: r.output, label: "no CONFORMANCE summary line" };
      if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
      const skipped = Number(
        /(\d+) skipped/.exec(r.output.split("\n").findLast((l) => l.startsWith("CONFORMANCE ")))?.[1] ?? 0,
      );
      return {
        ...counts,
        skipped,
        output: r.output,
        label: `layer conformance, webgpu f32 vs PyTorch and cpu, on ${runtime}`,
      };
    },
  })),
  {
    // The playground page built, served and trained in headless Chromium (WebGPU on SwiftShader, then CPU).
    name: "playground e2e",
    run: async () => {
      const script = join(repoRoot, "apps/playground/e2e/run.mjs");
      const r = await exec(process.execPath, [script], { env, timeoutMs: 600_000 });
      const counts = parseSummaryLine(r.output, "PLAYGROUND: ");
      if (!counts) return { passed: 0, failed: 1, skipped: 0, output: r.output, label: "no PLAYGROUND line" };
      if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
      return { ...counts, skipped: 0, output: r.output, label: "apps/playground in headless Chromium" };
    },
  },
  {
    // Multi-process suites need a launcher (mpirun) and real processes: they run outside vitest.
    name: "mpi",
    run: async () => {
      const script = join(repoRoot, "packages/distributed/test/run-mpi-suite.mjs");
      const r = await exec(process.execPath, [script], { env, timeoutMs: 900_000 });
      const counts = parseSummaryLine(r.output, "MPI: ");
      if (!counts)
        return { passed: 0, failed: 1, skipped: 0, output: r.output, label: "no MPI summary line" };
      if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
      return { ...counts, skipped: 0, output: r.output, label: "mpirun -n 2/4 and threads on node/bun/deno" };
    },
  },
  {
    name: "pack+publint",
    run: async () => {
      const jsonFile = join(scratch, "pack.json");
      const r = await exec(
        process.execPath,
        [join(repoRoot, "tooling/scripts/pack-check.mjs"), "--json", jsonFile],
        {
          env,
          timeoutMs: 900_000,
        },
      );
      if (!existsSync(jsonFile))
        return { passed: 0, failed: 1, skipped: 0, output: r.output, label: "pack-check crashed" };
      const results = JSON.parse(readFileSync(jsonFile, "utf8"));
      const passed = results.filter((x) => x.ok).length;
      const failed = results.length - passed + (r.code !== 0 && passed === results.length ? 1 : 0);
      const pkgs = new Set(
        results.filter((x) => x.kind !== "guide").map((x) => x.name.replace(/^publint | × .*$/g, "")),
      ).size;
      return {
        passed,
        failed,
        skipped: 0,
        output: r.output,
        label: `${pkgs} packages × node/bun/deno + publint + the GPU guide from the packed packages`,
      };
    },
  },
];

console.log(
  `test-all: ${vulkan.reason}${requireAll.length ? `; ${requireAll.join(", ")} set: skips are failures` : ""}`,
);
const rows = [];
const started = performance.now();
for (const suite of suites) {
  if (only && !only.includes(suite.name)) continue;
  console.log(`\n▶ ${suite.name}`);
  const t0 = performance.now();
  let result;
  try {
    result = await suite.run();
  } catch (e) {
    result = {
      passed: 0,
      failed: 1,
      skipped: 0,
      output: String(e?.stack ?? e),
      label: "the suite runner crashed",
    };
  }
  const ms = performance.now() - t0;
  rows.push({ name: suite.name, ...result, ms });
  const verdict = result.failed > 0 ? "FAILED" : "ok";
  console.log(
    `  ${verdict} ${suite.name}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped (${seconds(ms)}) ${result.label}`,
  );
  if (result.failed > 0) console.log(`  --- last lines of ${suite.name} ---\n${tail(result.output, 40)}`);
  if (bail && result.failed > 0) break;
}
rmSync(scratch, { recursive: true, force: true });

const total = rows.reduce(
  (a, r) => ({ passed: a.passed + r.passed, failed: a.failed + r.failed, skipped: a.skipped + r.skipped }),
  {
    passed: 0,
    failed: 0,
    skipped: 0,
  },
);
const w = Math.max(...rows.map((r) => r.name.length), 5);
console.log(`\n${"suite".padEnd(w)}  passed  failed  skipped   time  `);
for (const r of rows)
  console.log(
    `${r.name.padEnd(w)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.skipped).padStart(7)}  ${seconds(r.ms).padStart(6)}${r.failed ? "  <- FAILED" : ""}`,
  );
console.log(
  `${"total".padEnd(w)}  ${"".padStart(6)}  ${"".padStart(6)}  ${"".padStart(7)}  ${seconds(performance.now() - started).padStart(6)}`,
);
// Every skipped test by name, so that a skip is never silent (the closing line stays last).
for (const line of skippedLines(rows)) console.log(line);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
