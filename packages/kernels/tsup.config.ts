import { defineFluxPackage } from "../../tooling/tsup.js";

// The WebGPU host modules are separate files reached through the package's "#flux-webgpu-host" import
// (conditions pick Dawn on Node/Bun, navigator.gpu elsewhere), so they are entries and that import stays
// external; src/webgpu/index.ts is the public "@flux/kernels/webgpu" entry.
export default defineFluxPackage({
  entry: ["src/index.ts", "src/webgpu/index.ts", "src/webgpu/host/dawn.ts", "src/webgpu/host/navigator.ts"],
  external: ["#flux-webgpu-host"],
});
