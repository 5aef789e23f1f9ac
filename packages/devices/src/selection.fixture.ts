// A child process for selection.process.test.ts (bundled by esbuild; run by node, bun or deno): draws a
// random tensor (which reads FLUX_DEBUG_LEAKS), runs the gpuDevice() selection and prints one JSON line with
// the report and, on Node, whether Dawn's native module was loaded. Arguments: `quiet` passes warn: false.
import { randn, readEnv } from "@flux/kernels";
import { gpuDevice, lastSelection } from "./index.js";

const g = globalThis as {
  Deno?: { args: string[] };
  process?: { argv: string[]; versions?: Record<string, string | undefined> };
};
const args: string[] = g.Deno?.args ?? g.process?.argv.slice(2) ?? [];
const out: Record<string, unknown> = {};
const x = randn([2, 3]);
out.randn = x.shape;
x.dispose();
out.debugLeaks = readEnv("FLUX_DEBUG_LEAKS") ?? null;
const dev = await gpuDevice(undefined, { warn: !args.includes("quiet") });
out.device = String(dev);
out.report = lastSelection();
if (g.Deno === undefined) {
  const { createRequire } = await import("node:module");
  const cache = (createRequire(import.meta.url) as unknown as { cache: Record<string, unknown> }).cache;
  out.dawnLoaded = Object.keys(cache).some((k) => k.endsWith("dawn.node"));
}
console.log(JSON.stringify(out));
