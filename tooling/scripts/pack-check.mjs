// Pack-and-install check: does each publishable @flux/* package work when installed ALONE from its tarball?
//
// For every package (packages/* not private, with a built dist): `npm pack` into a temp dir outside the
// repo, install that tarball plus the tarballs of the @flux packages it needs (its @flux peers and
// dependencies, transitively) into a fresh temp project, then import it on node, bun and deno and check
// its exports. Outside the repo on purpose: inside it, the repo's node_modules would hide an import the
// package does not declare. Optional peers (webgpu, koffi) are not installed: importing must not need them.
// Then `publint` lints each tarball. Last, the README's route as a user takes it: every tarball installed
// with the line `npm run pack:local` prints, and the first program of docs/gpu-support.md ("Checking GPU
// availability") type-checked under `strict` and run on node (compiled by tsc), bun and deno.
//
// Usage: node tooling/scripts/pack-check.mjs [--json out.json] [--keep] [--guide-only] [package-dir-name...]
// Each (package × runtime) and each publint run is one check. Exit code 1 if any check failed.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, childEnv, exec, repoRoot, seconds, tail } from "./lib/exec.mjs";
import { fluxClosure } from "./lib/flux-closure.mjs";
import { installLines, publishablePackages } from "./pack-local.mjs";

const RUNTIMES = {
  node: () => [process.execPath, ["check.mjs"]],
  // --no-install: Bun must never fetch a missing import from the registry (that would hide it).
  bun: () => [bin("bun"), ["--no-install", "check.mjs"]],
  deno: () => [bin("deno"), ["run", "-A", "check.mjs"]],
};

const argv = process.argv.slice(2);
const jsonOut = argv.includes("--json") ? argv[argv.indexOf("--json") + 1] : undefined;
const keep = argv.includes("--keep");
const only = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--json");
const guideOnly = argv.includes("--guide-only"); // just the install-and-run of the GPU guide program

/** Publishable workspace packages (pack-local's list) that are built. */
function builtPackages() {
  return publishablePackages().filter((p) => {
    if (existsSync(join(p.dir, "dist"))) return true;
    console.log(`  skip ${p.manifest.name}: no dist/ (build first)`);
    return false;
  });
}

/** A script that imports the package and checks that every export it lists is defined. */
function checkScript(name) {
  return `import * as mod from ${JSON.stringify(name)};
const keys = Object.keys(mod);
if (keys.length === 0) throw new Error("${name} has no exports");
const undef = keys.filter((k) => mod[k] === undefined);
if (undef.length > 0) throw new Error("${name}: exports listed but undefined: " + undef.join(", "));
console.log("IMPORT-OK ${name}: " + keys.length + " exports (" + keys.slice(0, 8).join(", ") + (keys.length > 8 ? ", ..." : "") + ")");
`;
}

const results = [];

/** The first TypeScript block of a section of docs/gpu-support.md. */
function guideBlock(heading) {
  const doc = readFileSync(join(repoRoot, "docs/gpu-support.md"), "utf8");
  const section = doc.slice(doc.indexOf(`## ${heading}`));
  const m = /```ts[^\n]*\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error(`docs/gpu-support.md: no ts block under "## ${heading}"`);
  return m[1];
}

/**
 * Installs every tarball into a fresh project outside the repo with the exact `npm run pack:local` line,
 * type-checks a program of the GPU guide under `strict`, and runs it on node, bun and deno.
 */
async function guideProgram() {
  if (only.length > 0 || tarballs.size === 0) return;
  const project = mkdtempSync(join(work, "guide-"));
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "flux-guide-check", private: true, type: "module" }),
  );
  writeFileSync(join(project, "main.ts"), guideBlock("Checking GPU availability"));
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        types: ["node"],
        typeRoots: [join(repoRoot, "node_modules/@types")],
        skipLibCheck: true, // as `tsc --init` writes it: a user's own code is what strict checks
        outDir: "out",
      },
      files: ["main.ts"],
    }),
  );
  const line = installLines([...tarballs.values()]).npm;
  const [cmd, ...args] = line.split(" ");
  const install = await exec(
    cmd,
    [...args, "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
    {
      cwd: project,
      env,
      timeoutMs: 300_000,
    },
  );
  if (install.code !== 0) {
    record("gpu guide: install (pack:local line)", "guide", false, install.ms, install.output);
    return;
  }
  const tsc = await exec(
    process.execPath,
    [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", project],
    {
      cwd: project,
      env,
      timeoutMs: 180_000,
    },
  );
  record("gpu guide: strict tsc", "guide", tsc.code === 0, tsc.ms, tsc.output);
  const runs = {
    node: [process.execPath, ["out/main.js"], project],
    bun: [bin("bun"), ["--no-install", "main.ts"], project],
    deno: [bin("deno"), ["run", "--allow-env", "--allow-read", "main.ts"], project],
  };
  for (const [runtime, [c, a, cwd]] of Object.entries(runs)) {
    if (runtime === "node" && tsc.code !== 0) continue;
    const r = await exec(c, a, { cwd, env, timeoutMs: 180_000 });
    record(`gpu guide × ${runtime}`, "guide", r.code === 0 && r.output.includes("webgpu"), r.ms, r.output);
  }
}
function record(name, kind, ok, ms, output) {
  results.push({ name, kind, ok, ms, output: ok ? "" : tail(output, 25, "") });
  console.log(`  ${ok ? "ok  " : "FAIL"} ${name} (${seconds(ms)})`);
  if (!ok) console.log(tail(output, 25, "       "));
}

/** Runs async jobs with at most `limit` at a time (the machine has 2 cores). */
async function pool(items, limit, job) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await job(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// Every publishable package is packed (one npm call), so that a filtered run still has its peers' tarballs.
const packages = builtPackages();
const byName = new Map(packages.map((p) => [p.manifest.name, p.manifest]));
const checked = guideOnly ? [] : packages.filter((p) => only.length === 0 || only.includes(p.short));
const work = mkdtempSync(join(tmpdir(), "flux-pack-check-"));
const env = childEnv();
console.log(`pack-check: ${checked.length} package(s), temp dir ${work}`);

const packed = await exec(
  "npm",
  ["pack", "--json", "--pack-destination", work, ...packages.flatMap((p) => ["-w", p.dir])],
  { env, timeoutMs: 180_000 },
);
const tarballs = new Map();
if (packed.code === 0) {
  for (const entry of JSON.parse(packed.output.slice(packed.output.indexOf("["))))
    tarballs.set(entry.name, join(work, entry.filename));
} else {
  record("npm pack", "pack", false, packed.ms, packed.output);
}

await pool(
  checked.filter((p) => tarballs.has(p.manifest.name)),
  2,
  async (pkg) => {
    const name = pkg.manifest.name;
    const project = mkdtempSync(join(work, `${pkg.short}-`));
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "flux-pack-check", private: true, type: "module" }),
    );
    writeFileSync(join(project, "check.mjs"), checkScript(name));
    const needed = fluxClosure(pkg.manifest, byName);
    const missing = needed.filter((n) => !tarballs.has(n));
    const install = missing.length
      ? { code: 1, ms: 0, output: `no tarball for ${missing.join(", ")} (not publishable or not built)` }
      : await exec(
          "npm",
          [
            "install",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            "--loglevel=error",
            "--prefix",
            project,
            ...needed.map((n) => tarballs.get(n)),
          ],
          { cwd: project, env, timeoutMs: 300_000 },
        );
    for (const [runtime, command] of Object.entries(RUNTIMES)) {
      if (install.code !== 0) {
        record(`${name} × ${runtime}`, "import", false, install.ms, `npm install failed:\n${install.output}`);
        continue;
      }
      const [cmd, args] = command();
      const r = await exec(cmd, args, { cwd: project, env, timeoutMs: 120_000 });
      record(
        `${name} × ${runtime}`,
        "import",
        r.code === 0 && r.output.includes("IMPORT-OK"),
        r.ms,
        r.output,
      );
    }
    const lint = await exec(bin("publint"), ["run", tarballs.get(name)], { env, timeoutMs: 120_000 });
    record(`publint ${name}`, "publint", lint.code === 0, lint.ms, lint.output);
  },
);

await guideProgram();

if (!keep) rmSync(work, { recursive: true, force: true });
const failed = results.filter((r) => !r.ok).length;
console.log(`PACK-CHECK: ${results.length - failed} passed, ${failed} failed`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
