// `npm run demo`: the README's main job. Until apps/demo exists it builds the packages and runs the smoke
// app on node (the built packages imported as a user would), and says so first.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { bin, childEnv, exec, repoRoot } from "./lib/exec.mjs";
import { vulkanEnv } from "./vulkan-env.mjs";

const demoDir = join(repoRoot, "apps/demo/src");
const demoMain = existsSync(demoDir)
  ? readdirSync(demoDir).find((f) => /^main\.(mjs|js|ts)$/.test(f))
  : undefined;
const env = childEnv(vulkanEnv());

if (demoMain) {
  console.log(`demo: building the packages, then running apps/demo/src/${demoMain}`);
} else {
  console.log(
    "demo: no demo app yet (apps/demo); building the packages and running the smoke checks on node instead",
  );
}
const build = await exec(bin("turbo"), ["run", "build", "--output-logs=errors-only"], { env, echo: true });
if (build.code !== 0) {
  console.error("demo: the build failed (output above); fix it, then rerun `npm run demo`");
  process.exit(build.code);
}
// Node strips types from .ts only from 22.6; on Node 20 a .ts main runs under bun.
const [cmd, args] = demoMain
  ? demoMain.endsWith(".ts")
    ? [bin("bun"), [join(demoDir, demoMain)]]
    : [process.execPath, [join(demoDir, demoMain)]]
  : [process.execPath, [join(repoRoot, "apps/smoke/run.mjs")]];
const run = await exec(cmd, args, { env, echo: true, timeoutMs: 3_600_000 });
process.exit(run.code);
