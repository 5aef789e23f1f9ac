// Runs a command with a Vulkan driver WebGPU can use (see vulkan-env.mjs): `node with-vulkan.mjs vitest run`.
// Commands are looked up in node_modules/.bin first, as npm scripts do, so it also works outside `npm run`.
import { spawn } from "node:child_process";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveVulkanEnv } from "./vulkan-env.mjs";

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error("usage: node tooling/scripts/with-vulkan.mjs <command> [args...]");
  process.exit(2);
}
const root = fileURLToPath(new URL("../..", import.meta.url));
const { vars, reason } = resolveVulkanEnv();
if (process.env.FLUX_VERBOSE) console.error(`with-vulkan: ${reason}`);
const env = {
  ...process.env,
  ...vars,
  TURBO_TELEMETRY_DISABLED: "1",
  PATH: [join(root, "node_modules/.bin"), process.env.PATH].join(delimiter),
};
const child = spawn(cmd, args, { stdio: "inherit", env });
// Forward Ctrl-C and friends so the child can clean up; our exit code is the child's.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("error", (e) => {
  console.error(`with-vulkan: could not start ${cmd}: ${e.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
