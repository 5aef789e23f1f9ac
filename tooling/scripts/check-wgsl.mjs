// test-all's "generated" suite runs this: it fails when packages/kernels/src/webgpu/generated/shaders.ts
// no longer matches packages/kernels/shaders/*.wgsl (someone edited a shader and forgot to regenerate).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const gen = join(dirname(fileURLToPath(import.meta.url)), "gen-wgsl.mjs");
const r = spawnSync(process.execPath, [gen, "--check"], { stdio: "inherit" });
process.exit(r.status ?? 1);
