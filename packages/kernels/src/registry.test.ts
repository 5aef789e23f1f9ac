import { describe, expect, it } from "vitest";
import { cpuBackendProvider } from "./cpu/provider.js";
import { deviceOf, parseDevice } from "./device.js";
import { BackendNotFoundError, DeviceMismatchError } from "./errors.js";
import { memory } from "./memory.js";
import { tensor } from "./ops/creation.js";
import { add } from "./ops/elementwise.js";
import { matmul } from "./ops/matmul.js";
import { toDevice } from "./ops/convert.js";
import { getBackend, getBackendSync, isBackendLoaded, listBackends, registerBackend } from "./registry.js";

describe("devices and the registry", () => {
  it("interns device descriptors", () => {
    expect(deviceOf("webgpu", 1)).toBe(parseDevice("webgpu:1"));
    expect(String(deviceOf("cpu"))).toBe("cpu");
    expect(String(deviceOf("webgpu", 0))).toBe("webgpu:0");
    expect(() => deviceOf("cpu", -1)).toThrow(/0-based/);
  });

  it("has the CPU loaded synchronously and nothing registered by import", () => {
    expect(isBackendLoaded("cpu")).toBe(true);
    expect(getBackendSync("cpu").device).toBe(deviceOf("cpu"));
    expect(listBackends()).toContain("cpu");
    expect(() => getBackendSync("nope")).toThrow(BackendNotFoundError);
    expect(() => getBackendSync("nope")).toThrow(/registerBackend/);
  });

  it("throws DeviceMismatchError naming both devices, with a second registered device", async () => {
    registerBackend("cpu2", cpuBackendProvider("cpu2"));
    const other = await getBackend("cpu2");
    expect(String(other.device)).toBe("cpu2:0");
    const a = tensor([1, 2], [2]);
    const b = tensor([1, 2], [2], { device: "cpu2" });
    expect(b.device).toBe(deviceOf("cpu2"));
    expect(() => add(a, b)).toThrow(DeviceMismatchError);
    expect(() => add(a, b)).toThrow(/cpu and cpu2:0/);
    const c = tensor([1], [1, 1], { device: "cpu2" });
    expect(() => matmul(tensor([1], [1, 1]), c)).toThrow(DeviceMismatchError);
    c.dispose();
    expect(memory("cpu2").liveTensors).toBe(1);
    const moved = await toDevice(b, "cpu");
    expect(Array.from(add(a, moved).dataSync())).toEqual([2, 4]);
    b.dispose();
    expect(memory("cpu2").liveTensors).toBe(0);
  });
});
