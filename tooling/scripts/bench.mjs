// `npm run bench`: builds what the benchmarks import (only @flux-apps/bench's dependencies, so a package that
// does not build yet cannot block it), then runs apps/bench/src/main.mjs with the flags after `--`.
import { join } from "node:path";
import { bin, childEnv, exec, repoRoot } from "./lib/exec.mjs";
import { vulkanEnv } from "./vulkan-env.mjs";

const env = childEnv(vulkanEnv());
const build = await exec(
  bin("turbo"),
  ["run", "build", "--filter=@flux-apps/bench...", "--output-logs=errors-only"],
  { env, echo: true },
);
if (build.code !== 0) process.exit(build.code);
const main = join(repoRoot, "apps/bench/src/main.mjs");
const run = await exec(process.execPath, [main, ...process.argv.slice(2)], {
  env,
  echo: true,
  timeoutMs: 3_600_000,
});
process.exit(run.code);
