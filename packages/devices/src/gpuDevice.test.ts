// Selection with working (CPU-backed) fake GPU backends: preference, automatic order, ids, the cache,
// FLUX_VISIBLE_DEVICES, and a model moved between two adapters.
import { tensor } from "@flux/kernels";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cpuDevice } from "./cpuDevice.js";
import { DeviceIdError } from "./errors.js";
import { getDevice } from "./getDevice.js";
import { functional, registerGpuBackend } from "./gpuBackends.js";
import { gpuDevice, resetGpuDevice } from "./gpuDevice.js";
import { gpuDevices } from "./gpuDevices.js";
import { lastSelection } from "./report.js";
import { fakeGpuProvider } from "./testBackends.js";
import { resetWarnings } from "./warnOnce.js";

let warn: ReturnType<typeof vi.spyOn>;
const warnings = (): string[] => warn.mock.calls.map((c: unknown[]) => String(c[0]));

beforeAll(() => {
  registerGpuBackend("fakeA", fakeGpuProvider("fakeA", 2));
  registerGpuBackend("fakeB", fakeGpuProvider("fakeB", 3));
  registerGpuBackend("broken", fakeGpuProvider("broken", 1, { probe: false }));
});
beforeEach(() => {
  delete process.env.FLUX_VISIBLE_DEVICES;
  process.env.FLUX_GPU_BACKEND = "fakeA";
  resetGpuDevice();
  resetWarnings();
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
  delete process.env.FLUX_GPU_BACKEND;
  delete process.env.FLUX_VISIBLE_DEVICES;
});

describe("gpuDevice with working backends", () => {
  it("honours the preference over the automatic order", async () => {
    process.env.FLUX_GPU_BACKEND = "fakeB";
    const dev = await gpuDevice();
    expect(dev.kind).toBe("fakeB");
    expect(dev.id).toBe(0);
    expect(String(dev)).toBe("GPUDevice(fakeB:0)");
    expect(warnings()).toEqual([]);
  });

  it("selects the first usable backend in supportedGpuBackends() order without a preference", async () => {
    delete process.env.FLUX_GPU_BACKEND;
    const dev = await gpuDevice();
    // WebGPU when it works on a hardware adapter (or a software one, allowed by FLUX_ALLOW_SOFTWARE_GPU=1
    // as the test runners set it); otherwise the next backend in order, fakeA.
    const report = lastSelection()!;
    const webgpu = report.attempts.find((a) => a.backend === "webgpu")!;
    const expected = webgpu.code === "gpu" || webgpu.code === "software-allowed" ? "webgpu" : "fakeA";
    expect(dev.kind).toBe(expected);
    expect(report.backend).toBe(expected);
    if (expected === "webgpu" && !(await functional("webgpu")))
      throw new Error("chose a non-functional webgpu");
  });

  it("warns once when the preferred backend is loaded but not functional, then selects automatically", async () => {
    process.env.FLUX_GPU_BACKEND = "broken";
    expect(await functional("broken")).toBe(false);
    const dev = await gpuDevice();
    expect(dev.isGpu).toBe(true);
    expect(dev.kind).not.toBe("broken");
    expect(warnings().filter((m) => m.includes('"broken"') && m.includes("not functional"))).toHaveLength(1);
  });

  it("remembers gpuDevice(k) for later plain calls, until resetGpuDevice", async () => {
    const d1 = await gpuDevice(1);
    expect(d1.id).toBe(1);
    expect(await gpuDevice()).toBe(d1);
    const half = await gpuDevice(undefined, { eltype: "f16" });
    expect(half.id).toBe(1);
    expect(half.eltype).toBe("f16");
    resetGpuDevice();
    expect((await gpuDevice()).id).toBe(0);
  });

  it("throws a clear RangeError for an id beyond the visible adapters", async () => {
    const err = await gpuDevice(5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceIdError);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as DeviceIdError).code).toBe("ERR_DEVICE_ID_OUT_OF_RANGE");
    expect((err as Error).message).toContain("2 visible adapter(s) (ids 0 to 1)");
  });

  it("moves a model from adapter 0 to adapter 1", async () => {
    const d0 = await gpuDevice(0);
    const d1 = await gpuDevice(1);
    const w = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const m0 = await d0({ weight: w, bias: tensor([0.5, 0.25, 0.125], [3]) });
    expect(getDevice(m0)).toBe(d0);
    const m1 = await d1(m0);
    expect(getDevice(m1)).toBe(d1);
    expect(m1.weight.device.id).toBe(1);
    expect(m1.weight).not.toBe(m0.weight);
    expect(await m1.weight.array()).toEqual(await w.array());
    const back = await cpuDevice()(m1);
    expect(await back.bias.array()).toEqual([0.5, 0.25, 0.125]);
  });
});

describe("FLUX_VISIBLE_DEVICES", () => {
  it("-1 hides every GPU: the CPU fallback", async () => {
    process.env.FLUX_VISIBLE_DEVICES = "-1";
    process.env.FLUX_SILENCE_WARN_NO_GPU = "1";
    try {
      expect(await gpuDevice()).toBe(cpuDevice());
      expect(await functional("fakeA")).toBe(false);
      expect(await gpuDevices()).toEqual([]);
    } finally {
      delete process.env.FLUX_SILENCE_WARN_NO_GPU;
    }
  });

  it("a list keeps those adapters, renumbered from 0", async () => {
    process.env.FLUX_GPU_BACKEND = "fakeB";
    process.env.FLUX_VISIBLE_DEVICES = "2,0";
    const list = (await gpuDevices()).filter((d) => d.backend === "fakeB");
    expect(list.map((d) => [d.id, d.physicalId])).toEqual([
      [0, 2],
      [1, 0],
    ]);
    const dev = await gpuDevice(0);
    const x = await dev(tensor([1, 2], [2]));
    expect(x.device.id).toBe(2);
    expect(getDevice(x)).toBe(dev);
    await expect(gpuDevice(2)).rejects.toThrow(/2 visible adapter/);
  });

  it("a malformed entry ends the list, with one warning", async () => {
    process.env.FLUX_GPU_BACKEND = "fakeB";
    process.env.FLUX_VISIBLE_DEVICES = "1,x,2";
    expect((await gpuDevices()).filter((d) => d.backend === "fakeB").map((d) => d.physicalId)).toEqual([1]);
    expect(warnings().filter((m) => m.includes("FLUX_VISIBLE_DEVICES"))).toHaveLength(1);
  });
});

describe("gpuDevices", () => {
  it("lists id, backend, name and limits of each visible adapter", async () => {
    const list = await gpuDevices();
    const a = list.filter((d) => d.backend === "fakeA");
    expect(a).toHaveLength(2);
    expect(a[1]).toMatchObject({ id: 1, physicalId: 1, name: "fakeA adapter 1", limits: {} });
  });
});
