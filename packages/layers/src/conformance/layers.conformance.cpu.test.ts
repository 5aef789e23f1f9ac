// The layer conformance suite (./suite.ts) on the CPU: f64 against PyTorch's float64 numbers and central
// finite differences, then f32 (the f32 kernels, the wasm sgemm included) against the same references. The
// device checks move each layer to WebGPU and back, so they need WebGPU: kernels' one test gate decides
// (skipped with a warning where it is missing, a failure under FLUX_REQUIRE_WEBGPU=1).
import { describeSuite } from "../../../../tooling/conformance/describeSuite.js";
import { webgpuAvailableForTests } from "../../../kernels/src/webgpu/testing.js";
import { LAYER_GROUPS, layerConformanceSuite } from "./suite.js";

const webgpu = await webgpuAvailableForTests({ label: "[layer conformance: device moves]" });

for (const dtype of ["f64", "f32"] as const) {
  describeSuite(
    layerConformanceSuite("cpu", { dtype }),
    LAYER_GROUPS,
    (c) => c.group === "device" && !webgpu,
  );
}
