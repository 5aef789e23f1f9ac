// Runs every smoke check file under the current runtime: `node apps/smoke/run.mjs`,
// `npx bun apps/smoke/run.mjs`, `npx deno run -A apps/smoke/run.mjs`. Optional arguments filter check
// files by name (`node apps/smoke/run.mjs functors`). Adding a package's smoke checks = adding
// `checks/<package>.mjs`; nothing here changes. The checks import the BUILT packages (dist, through
// node_modules/@flux/*), so run `npx turbo run build` first.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createHarness } from "./harness.mjs";

function runtimeName() {
  if (typeof globalThis.Deno !== "undefined") return `deno ${globalThis.Deno.version.deno}`;
  if (process.versions.bun) return `bun ${process.versions.bun}`;
  return `node ${process.versions.node}`;
}

const checksDir = new URL("./checks/", import.meta.url);
const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const files = readdirSync(fileURLToPath(checksDir))
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const runtime = runtimeName();
console.log(`smoke: ${files.length} check file(s) on ${runtime}`);
const harness = createHarness({ runtime: runtime.split(" ")[0] });
for (const file of files) {
  await harness.runModule(file.replace(/\.mjs$/, ""), () => import(new URL(file, checksDir).href));
}
const { passed, failed } = harness.summary();
process.exit(failed > 0 || passed === 0 ? 1 : 0);
