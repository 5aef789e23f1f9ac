// `npm run bench`: runs apps/bench/src/main.* when it exists (another engineer writes apps/bench); until
// then it says so and succeeds, so that scripts calling it do not break.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { bin, childEnv, exec, repoRoot } from "./lib/exec.mjs";
import { vulkanEnv } from "./vulkan-env.mjs";

const srcDir = join(repoRoot, "apps/bench/src");
const main = existsSync(srcDir) ? readdirSync(srcDir).find((f) => /^main\.(mjs|js|ts)$/.test(f)) : undefined;
if (!main) {
  console.log("bench: benchmarks are not there yet (no apps/bench/src/main.*); nothing to run");
  process.exit(0);
}
const env = childEnv(vulkanEnv());
const build = await exec(bin("turbo"), ["run", "build", "--output-logs=errors-only"], { env, echo: true });
if (build.code !== 0) process.exit(build.code);
// Node 20 cannot run .ts directly; bun can. Arguments after `npm run bench --` are passed through.
const file = join(srcDir, main);
const [cmd, args] = main.endsWith(".ts") ? [bin("bun"), [file]] : [process.execPath, [file]];
const run = await exec(cmd, [...args, ...process.argv.slice(2)], { env, echo: true, timeoutMs: 3_600_000 });
process.exit(run.code);
