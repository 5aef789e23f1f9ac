// The README's transfer contract as a property (tooling/conformance/devicesRoundTrip.mjs, the one copy the
// smoke runs use too): random trees of tensors, typed arrays and other leaves go to a device and back. Runs
// against a CPU-backed second backend (always), a CPU device that converts floats, and the WebGPU backend
// when it is registered and functional (kernels' test gate: FLUX_REQUIRE_WEBGPU=1 turns its absence into a
// failure).
import { beforeAll, describe, expect, it } from "vitest";
// biome-ignore lint/correctness/useImportExtensions: it has the extension; biome resolves to the .d.mts and asks for .mjs.js
import { devicesRoundTrip } from "../../../tooling/conformance/devicesRoundTrip.mjs";
import { webgpuAvailableForTests } from "../../kernels/src/webgpu/testing.js";
import { cpuDevice } from "./cpuDevice.js";
import { functional, loaded, probeFailure, registerGpuBackend } from "./gpuBackends.js";
import { gpuDevice, resetGpuDevice } from "./gpuDevice.js";
import { fakeGpuProvider } from "./testBackends.js";

// kernels' one WebGPU test gate, plus @flux/devices' own view (loaded and functional), so a backend that
// kernels can run but devices cannot select reads as unusable (a failure under FLUX_REQUIRE_WEBGPU=1).
const webgpuOk = await webgpuAvailableForTests({
  also: async () =>
    (await loaded("webgpu"))
      ? (await functional("webgpu"))
        ? null
        : `webgpu is loaded but not functional (${probeFailure("webgpu")})`
      : `the webgpu backend is not registered or its peer does not load (${probeFailure("webgpu") ?? "no provider"})`,
});

describe("cpu(dev(x)) round trip", () => {
  beforeAll(() => registerGpuBackend("propgpu", fakeGpuProvider("propgpu", 1)));

  it("through a second (CPU-backed) device with the GPU default eltype", async () => {
    process.env.FLUX_GPU_BACKEND = "propgpu";
    resetGpuDevice();
    const dev = await gpuDevice();
    expect(dev.kind).toBe("propgpu");
    await devicesRoundTrip(dev, { numRuns: 60 });
  });

  it("through a CPU device converting floats to f64", async () => {
    await devicesRoundTrip(cpuDevice("f64"), { numRuns: 60 });
  });

  it.skipIf(!webgpuOk)("through the WebGPU backend", async () => {
    delete process.env.FLUX_GPU_BACKEND;
    resetGpuDevice();
    const dev = await gpuDevice(0, { force: true, allowSoftware: true });
    expect(dev.kind).toBe("webgpu");
    await devicesRoundTrip(dev, { numRuns: 30 });
  });
});
