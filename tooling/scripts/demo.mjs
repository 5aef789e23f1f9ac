// `npm run demo`: the README's main job. Builds the packages the demo imports (turbo; cached after the
// first run), then runs apps/demo/src/main.mjs on Node with the terminal attached (so the progress bar can
// redraw) and every flag forwarded: `npm run demo -- --epochs 3 --model cnn`.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { bin, childEnv, exec, repoRoot } from "./lib/exec.mjs";
import { vulkanEnv } from "./vulkan-env.mjs";

// The demo is the private workspace @flux-apps/demo: turbo builds exactly the packages it depends on.
const flags = process.argv.slice(2);
// Chromium's SwiftShader (a CPU emulating a GPU) is pointed at only when WebGPU is insisted on: by default
// the demo wants a real GPU, whose driver the user's system already provides.
const wantsWebgpu = flags.some(
  (f, i) => f === "--device=webgpu" || (f === "--device" && flags[i + 1] === "webgpu"),
);
const env = childEnv({
  // The Vulkan loader complains on stderr when this is unset (containers, CI); harmless, but noise.
  XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? "/tmp",
  ...(wantsWebgpu ? vulkanEnv() : {}),
});

if (!flags.includes("--help") && !flags.includes("-h")) {
  console.log("demo: building the packages @flux-apps/demo depends on (turbo)");
  const filters = ["--filter=@flux-apps/demo..."];
  const build = await exec(bin("turbo"), ["run", "build", "--output-logs=errors-only", ...filters], {
    env,
    echo: true,
  });
  if (build.code !== 0) {
    console.error("demo: the build failed (output above); fix it, then rerun `npm run demo`");
    process.exit(build.code);
  }
}
// `--task text` (or `npm run demo:text`) runs the second job, the Tiny Shakespeare language model.
const taskAt = flags.indexOf("--task");
const task =
  taskAt >= 0 ? flags[taskAt + 1] : (flags.find((f) => f.startsWith("--task="))?.slice(7) ?? "image");
if (task !== "image" && task !== "text") {
  console.error(`demo: --task must be image or text, got ${task}`);
  process.exit(2);
}
const rest = flags.filter(
  (f, i) => !(f.startsWith("--task=") || f === "--task" || (taskAt >= 0 && i === taskAt + 1)),
);
const main = join(repoRoot, task === "text" ? "apps/demo/src/text/main.mjs" : "apps/demo/src/main.mjs");
const child = spawn(process.execPath, [main, ...rest], { cwd: repoRoot, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
