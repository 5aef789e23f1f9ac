// Selection on a machine where no GPU backend works: fallback, its one-time warning, force, the cache, and
// the messages for a preference that cannot be honoured. A registered backend without a provider ("ghost")
// stands for a backend whose code does not load; WebGPU is hidden so the result does not depend on the host.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cpuDevice } from "./cpuDevice.js";
import { DeviceIdError, DeviceSelectionError } from "./errors.js";
import { functional, loaded, registerGpuBackend } from "./gpuBackends.js";
import { gpuDevice, resetGpuDevice } from "./gpuDevice.js";
import { resetWarnings } from "./warnOnce.js";

let warn: ReturnType<typeof vi.spyOn>;
const warnings = (): string[] => warn.mock.calls.map((c: unknown[]) => String(c[0]));

beforeEach(() => {
  process.env.FLUX_VISIBLE_DEVICES = "-1";
  delete process.env.FLUX_SILENCE_WARN_NO_GPU;
  delete process.env.FLUX_GPU_BACKEND;
  resetGpuDevice();
  resetWarnings();
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
  delete process.env.FLUX_VISIBLE_DEVICES;
});

describe("no functional GPU", () => {
  it("falls back to the CPU with one warning that says how to get a GPU", async () => {
    expect(await gpuDevice()).toBe(cpuDevice());
    resetGpuDevice();
    expect(await gpuDevice()).toBe(cpuDevice());
    const w = warnings().filter((m) => m.includes("No functional GPU backend found"));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain("FLUX_SILENCE_WARN_NO_GPU=1");
    // WebGPU is hidden here, so the advice is about FLUX_VISIBLE_DEVICES, not about installing anything.
    expect(w[0]).toContain("Unset FLUX_VISIBLE_DEVICES");
    expect(w[0]).not.toContain("npm i webgpu");
    expect(w[0]).toMatch(/^\[@flux\/devices\]/);
  });

  it("is silent with FLUX_SILENCE_WARN_NO_GPU=1", async () => {
    process.env.FLUX_SILENCE_WARN_NO_GPU = "1";
    expect(await gpuDevice()).toBe(cpuDevice());
    expect(warnings()).toEqual([]);
  });

  it("throws DeviceSelectionError with force, also after a cached CPU fallback", async () => {
    await expect(gpuDevice(undefined, { force: true })).rejects.toBeInstanceOf(DeviceSelectionError);
    await expect(gpuDevice(undefined, { force: true })).rejects.toMatchObject({
      code: "ERR_DEVICE_SELECTION",
    });
    expect(await gpuDevice()).toBe(cpuDevice());
    await expect(gpuDevice(undefined, { force: true })).rejects.toThrow(/resetGpuDevice/);
  });

  it("caches the CPU fallback until resetGpuDevice, with the eltype asked for", async () => {
    const a = await gpuDevice();
    const b = await gpuDevice(undefined, { eltype: "f64" });
    expect(b.eltype).toBe("f64");
    expect(b.withEltype(undefined)).toBe(a);
  });

  it("rejects negative and fractional ids with a RangeError", async () => {
    await expect(gpuDevice(-1)).rejects.toBeInstanceOf(RangeError);
    await expect(gpuDevice(-1)).rejects.toBeInstanceOf(DeviceIdError);
    await expect(gpuDevice(1.5)).rejects.toMatchObject({ code: "ERR_DEVICE_ID" });
  });

  it("warns once that an id does not apply to the CPU fallback", async () => {
    expect(await gpuDevice(2)).toBe(cpuDevice());
    expect(warnings().some((m) => m.includes("does not apply to the CPU"))).toBe(true);
  });
});

describe("a preference that cannot be honoured", () => {
  it("warns once when the preferred backend does not load, then selects automatically", async () => {
    registerGpuBackend("ghost");
    expect(await loaded("ghost")).toBe(false);
    process.env.FLUX_GPU_BACKEND = "ghost";
    expect(await gpuDevice()).toBe(cpuDevice());
    resetGpuDevice();
    await gpuDevice();
    const w = warnings().filter((m) => m.includes('preference is "ghost"'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain("could not be loaded");
    expect(w[0]).toContain("FLUX_GPU_BACKEND");
  });

  it("warns that an unknown preference is not a valid backend and lists the valid ones", async () => {
    process.env.FLUX_GPU_BACKEND = "cuda";
    expect(await gpuDevice()).toBe(cpuDevice());
    const w = warnings().find((m) => m.includes('"cuda"'));
    expect(w).toContain("not a valid backend");
    expect(w).toContain('"webgpu"');
  });

  it("never calls the CPU non-functional and hides WebGPU under FLUX_VISIBLE_DEVICES=-1", async () => {
    expect(await functional("cpu")).toBe(true);
    expect(await functional("webgpu")).toBe(false);
  });
});
