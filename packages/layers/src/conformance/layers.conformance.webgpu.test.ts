// The layer conformance suite (./suite.ts) on WebGPU in f32: values against PyTorch's float64 numbers,
// gradients against the CPU's f64 autodiff. Runs for real on SwiftShader
// (node tooling/scripts/with-vulkan.mjs npx vitest run packages/layers).
import { beforeAll, describe, it } from "vitest";
import { webgpuAvailableForTests } from "../../../kernels/src/webgpu/testing.js";
import { layerConformanceSuite } from "./suite.js";

const available = await webgpuAvailableForTests();

describe.skipIf(!available)("webgpu", () => {
  const suite = layerConformanceSuite("webgpu", { dtype: "f32" });
  describe(suite.title, () => {
    beforeAll(suite.setup);
    for (const group of ["values", "gradients"] as const) {
      describe(group, () => {
        for (const c of suite.checks.filter((x) => x.group === group)) it(c.name, c.run);
      });
    }
  });
});
