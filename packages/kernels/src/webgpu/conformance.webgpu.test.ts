// The shared op conformance suite (tooling/conformance/) on the WebGPU backend, f32 against the CPU.
// Runs for real on SwiftShader (node tooling/scripts/with-vulkan.mjs npx vitest run ...).
import { describe } from "vitest";
import { describeOpConformance } from "../../../../tooling/conformance/ops.js";
import { webgpuAvailableForTests } from "./testing.js";

const available = await webgpuAvailableForTests();

describe.skipIf(!available)("webgpu", () => {
  describeOpConformance("webgpu", { dtype: "f32", numRuns: 6 });
});
