import { add, DeviceMismatchError, rng, tensor } from "@flux/kernels";
import { beforeAll, describe, expect, it } from "vitest";
import { cpuDevice } from "./cpuDevice.js";
import { UnknownDevice } from "./device.js";
import { MixedDevicesError } from "./errors.js";
import { getDevice, getDeviceType } from "./getDevice.js";
import { registerGpuBackend } from "./gpuBackends.js";
import { gpuDevice } from "./gpuDevice.js";
import { fakeGpuProvider } from "./testBackends.js";

beforeAll(() => {
  registerGpuBackend("other", fakeGpuProvider("other", 2));
  process.env.FLUX_GPU_BACKEND = "other";
});

describe("getDevice", () => {
  it("is null for structures without tensors (scalars, strings, typed arrays, RNGs)", () => {
    expect(getDevice(1)).toBeNull();
    expect(getDevice({ a: [1, "x"], b: new Float32Array(2), r: rng(1), n: null })).toBeNull();
    expect(getDeviceType({})).toBeNull();
  });

  it("is UnknownDevice for leaves it cannot place, and a tensor's device wins over them", () => {
    const f = (x: number) => x;
    expect(getDevice(f)).toBe(UnknownDevice);
    expect(getDeviceType([f, new Date()])).toBe("unknown");
    expect(getDevice({ f, w: tensor([1], [1]) })).toBe(cpuDevice());
    expect(getDevice({ w: tensor([1], [1]), f })).toBe(cpuDevice());
    expect(String(UnknownDevice)).toBe("UnknownDevice()");
  });

  it("throws MixedDevicesError naming both devices and where they were found", async () => {
    const dev = await gpuDevice(0);
    const g = await dev(tensor([1, 2], [2]));
    const c = tensor([1, 2], [2]);
    const err = (() => {
      try {
        getDevice({ layers: [{ w: c }, { w: g }] });
      } catch (e) {
        return e;
      }
    })() as MixedDevicesError;
    expect(err).toBeInstanceOf(MixedDevicesError);
    expect(err.code).toBe("ERR_MIXED_DEVICES");
    expect(err.devices).toEqual(["CPUDevice()", "GPUDevice(other:0)"]);
    expect(err.message).toContain("layers[0].w");
    expect(err.message).toContain("layers[1].w");
    expect(() => getDeviceType([c, g])).toThrow(/cpu .* and other/);
    // The kernels side of the same situation: ops never copy silently.
    expect(() => add(c, g)).toThrow(DeviceMismatchError);
  });

  it("tells adapters apart, while getDeviceType gives the backend for both", async () => {
    const g0 = await (await gpuDevice(0))(tensor([1], [1]));
    const g1 = await (await gpuDevice(1))(tensor([1], [1]));
    expect(() => getDevice([g0, g1])).toThrow(/other:0.*other:1/);
    expect(getDeviceType([g0, g1])).toBe("other");
  });
});
