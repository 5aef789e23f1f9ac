// The layer conformance suite (./suite.ts) on the CPU: f64 against PyTorch's float64 numbers and central
// finite differences, then f32 (the f32 kernels, the wasm sgemm included) against the same references.
import { beforeAll, describe, it } from "vitest";
import { layerConformanceSuite } from "./suite.js";

for (const dtype of ["f64", "f32"] as const) {
  const suite = layerConformanceSuite("cpu", { dtype });
  describe(suite.title, () => {
    beforeAll(suite.setup);
    for (const group of ["values", "gradients"] as const) {
      describe(group, () => {
        for (const c of suite.checks.filter((x) => x.group === group)) it(c.name, c.run);
      });
    }
  });
}
