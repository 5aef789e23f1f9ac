// The layer conformance suite (./suite.ts) on WebGPU in f32: values against PyTorch's float64 numbers,
// gradients against the CPU's f64 autodiff, layers moved to the CPU and back. Runs for real on SwiftShader
// (node tooling/scripts/with-vulkan.mjs npx vitest run packages/layers).
import { describe } from "vitest";
import { describeSuite } from "../../../../tooling/conformance/describeSuite.js";
import { webgpuAvailableForTests } from "../../../kernels/src/webgpu/testing.js";
import { LAYER_GROUPS, layerConformanceSuite } from "./suite.js";

const available = await webgpuAvailableForTests();

describe.skipIf(!available)("webgpu", () => {
  describeSuite(layerConformanceSuite("webgpu", { dtype: "f32" }), LAYER_GROUPS);
});
