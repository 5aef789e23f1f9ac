import { describeOpConformance } from "../../../tooling/conformance/ops.js";

// f64: gradients checked against central finite differences (the reference run).
describeOpConformance("cpu");
// f32: the f32 kernels (the wasm sgemm included) checked against the f64 reference.
describeOpConformance("cpu", { dtype: "f32" });
