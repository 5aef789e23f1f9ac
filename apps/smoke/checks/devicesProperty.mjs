// The round-trip PROPERTY of @flux/devices (its README's transfer contract) on every runtime the smoke app
// runs on, against the BUILT packages. The property itself is tooling/conformance/devicesRoundTrip.mjs, the
// one copy the unit tests run too. Targets: a CPU target that converts floats (`cpuDevice("f64")`) and
// WebGPU (`gpuDevice(0, { force: true, allowSoftware: true })`, behind the WebGPU gate).
import { cpuDevice, gpuDevice } from "@flux/devices";
import { devicesRoundTrip } from "../../../tooling/conformance/devicesRoundTrip.mjs";
import { webgpuGate } from "../webgpuGate.mjs";

// Modest: SwiftShader reads back slowly and the check runs on four runtimes.
const NUM_RUNS = 20;

export default async function (t) {
  t.check(`cpu(cpuDevice("f64")(x)) round trip (${NUM_RUNS} random trees)`, async () => {
    const dev = cpuDevice("f64");
    t.equal(dev.eltype, "f64");
    await devicesRoundTrip(dev, { numRuns: NUM_RUNS });
  });

  if (!(await webgpuGate(t, "webgpu round-trip property"))) return;

  t.check(
    `cpu(gpuDevice(0, { force: true, allowSoftware: true })(x)) round trip on WebGPU (${NUM_RUNS} random trees)`,
    async () => {
      const dev = await gpuDevice(0, { force: true, allowSoftware: true });
      t.equal(dev.kind, "webgpu");
      t.equal(dev.withEltype(undefined), dev, "the default-eltype device");
      await devicesRoundTrip(dev, { numRuns: NUM_RUNS });
    },
  );
}
