// Builds the playground into dist/: src/main.ts bundled for browsers by esbuild (the bundler tsup uses; the
// packages' default exports, i.e. their BUILT dist, so build them first: npx turbo run build), plus
// index.html, the stylesheet and the Fashion-MNIST subset from public/.
//   node apps/playground/scripts/build.mjs [--minify]
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, context } from "esbuild";

export const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const distDir = join(appRoot, "dist");

/** esbuild's options for the page; `platform: "browser"` picks @flux's navigator.gpu WebGPU host. */
export function bundleOptions({ minify = false } = {}) {
  return {
    entryPoints: { main: join(appRoot, "src/main.ts"), styles: join(appRoot, "src/styles.css") },
    outdir: distDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: true,
    minify,
    logLevel: "warning",
    // kernels' dist imports a tsup chunk of helpers and error classes for nothing but ordering; dropping
    // that bare import under its `sideEffects: false` is correct, so esbuild's warning about it is noise.
    logOverride: { "ignored-bare-import": "silent" },
  };
}

/** Copies index.html and public/ (the data subset and its COPYRIGHT) next to the bundle. */
export function copyStatic() {
  mkdirSync(distDir, { recursive: true });
  cpSync(join(appRoot, "index.html"), join(distDir, "index.html"));
  cpSync(join(appRoot, "public"), distDir, { recursive: true });
}

/** A clean one-shot build; returns esbuild's result (errors throw, with esbuild's message). */
export async function buildPlayground(opts = {}) {
  rmSync(distDir, { recursive: true, force: true });
  copyStatic();
  return build(bundleOptions(opts));
}

/** An esbuild context that rebuilds on every source change (for `npm run dev`). */
export async function watchPlayground() {
  rmSync(distDir, { recursive: true, force: true });
  copyStatic();
  const ctx = await context({ ...bundleOptions(), logLevel: "info" });
  await ctx.watch();
  return ctx;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  try {
    await buildPlayground({ minify: process.argv.includes("--minify") });
  } catch (e) {
    console.error(
      `[@flux-apps/playground] the bundle failed (${e.message.split("\n")[0]}). If a @flux/* import cannot be ` +
        "resolved, build the packages first: npx turbo run build --filter=@flux-apps/playground...",
    );
    process.exit(1);
  }
  console.log(`playground: built ${distDir} in ${Math.round(performance.now() - t0)} ms`);
}
