// The shared op conformance suite (tooling/conformance/) on the WebGPU backend, f32 against the CPU, with
// the same options as its Bun, Deno and Chromium runs (tooling/conformance/runtime/defaults.ts).
// Runs for real on SwiftShader (node tooling/scripts/with-vulkan.mjs npx vitest run ...).
import { describe } from "vitest";
import { describeOpConformance } from "../../../../tooling/conformance/ops.js";
import { conformanceOptionsFor } from "../../../../tooling/conformance/runtime/defaults.js";
import { webgpuAvailableForTests } from "./testing.js";

const available = await webgpuAvailableForTests();

describe.skipIf(!available)("webgpu", () => {
  describeOpConformance("webgpu", conformanceOptionsFor("webgpu"));
});
