// `npm run pack:local`: the @flux packages are not on the npm registry yet, so `npm i @flux/flux` answers 404.
// This is the route that works today: build every package (turbo, cached), pack each publishable one into
// `.local-packages/` (gitignored), and print the exact line that installs them into another project, for npm,
// bun and deno. Every @flux tarball is listed, because their @flux peers cannot come from the registry either.
//
// Usage: node tooling/scripts/pack-local.mjs [--no-build] [--out DIR]
// As a module: `packLocal({ outDir, build })` resolves to { tarballs: Map<name, path>, lines: { npm, bun, deno } }.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { bin, childEnv, exec, repoRoot } from "./lib/exec.mjs";

/** Publishable workspace packages (not private), in dependency order for readability. */
export function publishablePackages() {
  const dir = join(repoRoot, "packages");
  const order = ["functors", "kernels", "devices", "layers", "optim", "data", "distributed", "flux"];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, "package.json")))
    .map((d) => ({
      dir: join(dir, d),
      short: d,
      manifest: JSON.parse(readFileSync(join(dir, d, "package.json"), "utf8")),
    }))
    .filter((p) => !p.manifest.private)
    .sort((a, b) => rank(a.short, order) - rank(b.short, order));
}

function rank(name, order) {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}

/**
 * The install lines for tarballs at `paths` (absolute), for each package manager.
 *
 * @param {string[]} paths
 */
export function installLines(paths) {
  const list = paths.map((p) => (/\s/.test(p) ? JSON.stringify(p) : p)).join(" ");
  return {
    npm: `npm i ${list}`,
    bun: `bun add ${list}`,
    // Deno reads a project's package.json and node_modules; it cannot install a tarball itself ("file:"
    // dependencies must be folders), so npm (or bun) puts them there and `deno run` finds them.
    // Deno asks for --allow-write AND --allow-read to save: the atomic write renames a temporary file.
    deno: `npm i ${list}   # then: deno run main.ts (add --allow-read --allow-write where it saves files)`,
  };
}

/**
 * Builds (unless `build: false`) and packs every publishable package into `outDir`, replacing older tarballs.
 *
 * @param {{ outDir?: string, build?: boolean, log?: (line: string) => void }} [options]
 */
export async function packLocal({
  outDir = join(repoRoot, ".local-packages"),
  build = true,
  log = console.log,
} = {}) {
  const env = childEnv();
  const packages = publishablePackages();
  if (build) {
    log("pack:local: building the packages (turbo; cached after the first time)");
    const filters = packages.map((p) => `--filter=${p.manifest.name}`);
    const r = await exec(bin("turbo"), ["run", "build", "--output-logs=errors-only", ...filters], {
      env,
      echo: true,
    });
    if (r.code !== 0) throw new Error(`the build failed (exit ${r.code}); fix it, then rerun`);
  }
  const missing = packages.filter((p) => !existsSync(join(p.dir, "dist")));
  if (missing.length > 0) throw new Error(`not built: ${missing.map((p) => p.manifest.name).join(", ")}`);
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith(".tgz")) rmSync(join(outDir, f));
  const packed = await exec(
    "npm",
    ["pack", "--json", "--pack-destination", outDir, ...packages.flatMap((p) => ["-w", p.dir])],
    { env, timeoutMs: 300_000 },
  );
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.output}`);
  const tarballs = new Map();
  for (const entry of JSON.parse(packed.output.slice(packed.output.indexOf("["))))
    tarballs.set(entry.name, resolve(outDir, entry.filename));
  return { tarballs, lines: installLines([...tarballs.values()]) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argv = process.argv.slice(2);
  const outDir = argv.includes("--out") ? resolve(argv[argv.indexOf("--out") + 1]) : undefined;
  try {
    const { tarballs, lines } = await packLocal({ outDir, build: !argv.includes("--no-build") });
    console.log(`\npacked ${tarballs.size} packages:`);
    for (const [name, path] of tarballs) console.log(`  ${name.padEnd(18)} ${path}`);
    console.log("\nThe packages are not on the npm registry yet. In another project, install them with:\n");
    console.log(`  npm:  ${lines.npm}\n`);
    console.log(`  bun:  ${lines.bun}\n`);
    console.log(`  deno: ${lines.deno}\n`);
    console.log(
      "Add `webgpu` (npm i webgpu) for WebGPU on Node and Bun. Once published, `npm i @flux/flux` will do.",
    );
  } catch (e) {
    console.error(`pack:local: ${e.message}`);
    process.exit(1);
  }
}
