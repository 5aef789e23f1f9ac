// The one build recipe every @flux/* package uses: ESM + .d.ts, sibling packages and optional peers external.
// Why external: tsup would otherwise inline a sibling's built code (its webgpu chunk included) into the package.
import { defineConfig, type Options } from "tsup";

export interface FluxPackageOptions {
  /** Entry points, relative to the package root. Defaults to `src/index.ts`. */
  entry?: Options["entry"];
  /** Extra modules to keep external (optional peers such as `webgpu`, `koffi`). */
  external?: (string | RegExp)[];
}

export function defineFluxPackage(opts: FluxPackageOptions = {}) {
  return defineConfig({
    entry: opts.entry ?? ["src/index.ts"],
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    splitting: true,
    treeshake: true,
    external: [/^@flux\//, "webgpu", "koffi", /^node:/, ...(opts.external ?? [])],
  });
}
