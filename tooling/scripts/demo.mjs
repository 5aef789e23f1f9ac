// `npm run demo`: the README's main job. Builds the packages the demo imports (turbo; cached after the
// first run), then runs apps/demo/src/main.mjs on Node with the terminal attached (so the progress bar can
// redraw) and every flag forwarded: `npm run demo -- --epochs 3 --model cnn`.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { bin, childEnv, exec, repoRoot } from "./lib/exec.mjs";
import { vulkanEnv } from "./vulkan-env.mjs";

// apps/demo is not a workspace (it publishes nothing and needs no install): its @flux/* imports resolve
// through the root node_modules links, so the build is asked for by package name.
const DEMO_PACKAGES = [
  "@flux/functors",
  "@flux/kernels",
  "@flux/devices",
  "@flux/layers",
  "@flux/optim",
  "@flux/data",
];
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
  console.log(`demo: building ${DEMO_PACKAGES.join(", ")} (turbo)`);
  const filters = DEMO_PACKAGES.map((p) => `--filter=${p}`);
  const build = await exec(bin("turbo"), ["run", "build", "--output-logs=errors-only", ...filters], {
    env,
    echo: true,
  });
  if (build.code !== 0) {
    console.error("demo: the build failed (output above); fix it, then rerun `npm run demo`");
    process.exit(build.code);
  }
}
const main = join(repoRoot, "apps/demo/src/main.mjs");
const child = spawn(process.execPath, [main, ...flags], { cwd: repoRoot, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
