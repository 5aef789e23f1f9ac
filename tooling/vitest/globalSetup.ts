// Tests run against src/ (the @flux/source condition), but the CPU GEMM's wasm bytes are build output
// (src/cpu/wasm/generated/, gitignored: never a checked-in binary). Build them once if a fresh checkout lacks them,
// so `npx vitest` works without a prior `npm run build`.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const kernels = fileURLToPath(new URL("../../packages/kernels/", import.meta.url));
  if (existsSync(`${kernels}src/cpu/wasm/generated/wasmModules.ts`)) return;
  execFileSync(process.execPath, ["scripts/build-wasm.mjs"], { cwd: kernels, stdio: "inherit" });
}
