// @flux/devices as a user meets it: callable devices, transfers that keep ties and dtypes, getDevice,
// f32/f64, gpu() that always runs (a GPU when one works, else the CPU), DeviceIterator, clear errors.
import * as devicesModule from "@flux/devices";
import { tensor } from "@flux/kernels";

const devices = { ...devicesModule };
const {
  cpuDevice,
  gpuDevice,
  getDevice,
  getDeviceType,
  f64,
  DeviceIterator,
  setGpuBackend,
  supportedGpuBackends,
} = devices;

export default function (t) {
  t.check("exports its public names (the README's API) from the built package", () => {
    for (const name of [
      "cpuDevice",
      "gpuDevice",
      "resetGpuDevice",
      "supportedGpuBackends",
      "functional",
      "loaded",
      "setGpuBackend",
      "getDevice",
      "getDeviceType",
      "UnknownDevice",
      "gpuDevices",
      "gpu",
      "cpu",
      "f32",
      "f16",
      "f64",
      "DeviceIterator",
      "DeviceSelectionError",
    ])
      t.equal(typeof devices[name], "function", `export ${name}`);
    t.ok("GPU_BACKEND" in devices, "export GPU_BACKEND (a constant: the preference read at start)");
  });

  t.check("a device is callable and keeps tied tensors tied", async () => {
    const dev = cpuDevice();
    t.equal(String(dev), "CPUDevice()");
    const w = tensor([1, 2, 3, 4], [2, 2]);
    const m = await dev({ a: w, b: w, n: 3 });
    t.equal(m.a, w, "a tensor already there is returned as is");
    t.equal(m.a, m.b);
    t.equal(m.n, 3);
  });

  t.check("cpuDevice('f64') converts floats only; getDevice finds the device", async () => {
    const m = await cpuDevice("f64")({ f: tensor([0.5], [1]), i: tensor([1], [1], { dtype: "i32" }) });
    t.equal(m.f.dtype, "f64");
    t.equal(m.i.dtype, "i32");
    t.equal(getDevice(m), cpuDevice());
    t.equal(getDeviceType(m), "cpu");
    t.equal(getDevice([1, "x"]), null);
    t.equal(f64(tensor([1], [1])).dtype, "f64");
  });

  t.check("gpuDevice() always returns a usable device", async () => {
    const dev = await gpuDevice();
    t.ok(dev.kind === "cpu" || supportedGpuBackends().includes(dev.kind), `kind ${dev.kind}`);
    const x = await dev(tensor([1, 2], [2]));
    t.deepEqual(Array.from(await x.data()), [1, 2]);
    await t.rejects(() => gpuDevice(-1), "gpuDevice(-1) rejects");
  });

  t.check("DeviceIterator moves each batch and frees the previous one", async () => {
    const batches = [tensor([1], [1]), tensor([2], [1])];
    const seen = [];
    for await (const b of DeviceIterator(cpuDevice("f64"), batches)) seen.push(b);
    t.equal(seen.length, 2);
    t.ok(seen[0].isDisposed && seen[1].isDisposed, "moved batches freed");
    t.ok(!batches[0].isDisposed, "sources untouched");
  });

  t.check("setGpuBackend rejects an invalid name, listing the valid ones", async () => {
    const e = await t.rejects(() => setGpuBackend("cuda"));
    t.equal(e.code, "ERR_INVALID_BACKEND");
    t.ok(e.message.includes('"webgpu"'), e.message);
  });
}
