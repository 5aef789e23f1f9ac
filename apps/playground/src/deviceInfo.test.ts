import { cpuDevice } from "@flux/devices";
import { describe, expect, it } from "vitest";
import type { ChosenDevice } from "./device.js";
import { deviceNote } from "./deviceInfo.js";

const cpu = cpuDevice();
const base: ChosenDevice = {
  device: cpu,
  kind: "cpu",
  name: "CPUDevice()",
  label: "@flux CPU backend",
  adapter: null,
  reason: null,
  hint: null,
  skipped: [],
};

describe("deviceNote (from @flux/devices' selection report)", () => {
  it("says nothing for a hardware GPU or an asked-for CPU", () => {
    expect(deviceNote(base)).toBeNull();
    const gpu = {
      ...base,
      kind: "webgpu",
      adapter: { name: "NVIDIA RTX", vendor: "nvidia", isSoftware: false },
    };
    expect(deviceNote(gpu)).toBeNull();
  });

  it("explains a software adapter that was passed over, and how to use it anyway", () => {
    const note = deviceNote({
      ...base,
      reason: "the only webgpu adapter is a software renderer (SwiftShader), slower than the CPU backend",
      skipped: [{ name: "SwiftShader", vendor: "google", isSoftware: true }],
    });
    expect(note).toContain("CPU fallback: the only webgpu adapter is a software renderer");
    expect(note).toContain("device=webgpu");
  });

  it("gives the report's advice for this runtime when there is no adapter at all", () => {
    const note = deviceNote({
      ...base,
      reason: "this browser has no WebGPU",
      hint: "Use a browser with WebGPU.",
    });
    expect(note).toBe("CPU fallback: this browser has no WebGPU. Use a browser with WebGPU.");
  });

  it("warns about a software adapter in use", () => {
    const sw = {
      ...base,
      kind: "webgpu",
      adapter: { name: "SwiftShader", vendor: "google", isSoftware: true },
    };
    expect(deviceNote(sw)).toMatch(/software renderer/);
  });
});
