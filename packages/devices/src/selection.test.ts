// Selection and its report: software adapters are passed
// over unless allowed (environment variable or option) and it is said once; the structured report names the
// adapters seen, the choice and the reason; bad options and un-awaited Promises get named errors.
// WebGPU here is an injected GPU object whose one adapter is a SwiftShader fallback adapter, so the result
// does not depend on the machine; CPU-backed fake backends stand for other GPUs.
import { UnawaitedPromiseError } from "@flux/functors";
import { tensor } from "@flux/kernels";
import { registerWebGPU } from "@flux/kernels/webgpu";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cpuDevice } from "./cpuDevice.js";
import { DevicesError, DeviceSelectionError } from "./errors.js";
import { getDevice, getDeviceType } from "./getDevice.js";
import { registerGpuBackend } from "./gpuBackends.js";
import { cpu, gpu } from "./gpuCpu.js";
import { deviceReport, gpuDevice, resetGpuDevice } from "./gpuDevice.js";
import { gpuDevices } from "./gpuDevices.js";
import { lastSelection } from "./report.js";
import { fakeGpuProvider } from "./testBackends.js";
import { resetWarnings } from "./warnOnce.js";

let requests = 0;
const swiftShader = {
  info: {
    vendor: "google",
    architecture: "swiftshader",
    description: "SwiftShader Device (Subzero)",
    isFallbackAdapter: true,
  },
  features: new Set<string>(),
  limits: {
    maxBufferSize: 1 << 28,
    maxStorageBufferBindingSize: 1 << 27,
    maxComputeWorkgroupStorageSize: 16384,
    maxComputeInvocationsPerWorkgroup: 256,
  },
  requestDevice: () => Promise.reject(new Error("a test double cannot compute")),
};
const fakeGpu = {
  requestAdapter: async () => {
    requests++;
    return swiftShader;
  },
} as unknown as GPU;

let warn: ReturnType<typeof vi.spyOn>;
const warnings = (): string[] => warn.mock.calls.map((c: unknown[]) => String(c[0]));

beforeAll(() => {
  registerWebGPU({ gpu: fakeGpu });
  registerGpuBackend("softonly", fakeGpuProvider("softonly", 1, { software: [0] }));
  registerGpuBackend("mixed", fakeGpuProvider("mixed", 2, { software: [0] }));
});
beforeEach(() => {
  for (const k of [
    "FLUX_VISIBLE_DEVICES",
    "FLUX_GPU_BACKEND",
    "FLUX_ALLOW_SOFTWARE_GPU",
    "FLUX_SILENCE_WARN_NO_GPU",
  ])
    delete process.env[k];
  requests = 0;
  resetGpuDevice();
  resetWarnings();
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterEach(() => warn.mockRestore());

describe("software adapters", () => {
  it("are passed over by default, said once, and reported with their names", async () => {
    process.env.FLUX_GPU_BACKEND = "softonly";
    // webgpu (SwiftShader) and softonly both offer only software: mixed has a hardware adapter 1.
    const dev = await gpuDevice();
    expect(String(dev)).toBe("GPUDevice(mixed:1)");
    const r = lastSelection()!;
    expect(r.code).toBe("gpu");
    expect(r.adapter).toMatchObject({ backend: "mixed", id: 1, kind: "hardware" });
    expect(r.reason).toContain("passed over the software adapter");
    const seen = r.adapters.map((a) => `${a.backend}:${a.id}:${a.kind}`);
    expect(seen).toEqual([
      "softonly:0:software",
      "webgpu:0:software",
      "mixed:0:software",
      "mixed:1:hardware",
    ]);
    expect(r.adapters.find((a) => a.backend === "webgpu")?.name).toBe("SwiftShader Device (Subzero)");
    expect(r.attempts.map((a) => `${a.backend}:${a.code}`)).toEqual([
      "softonly:software-only",
      "webgpu:software-only",
      "mixed:gpu",
    ]);
  });

  it("only software everywhere: the CPU, one warning that says how to allow it", async () => {
    process.env.FLUX_VISIBLE_DEVICES = "0"; // mixed:1 hidden
    expect(await gpuDevice()).toBe(cpuDevice());
    resetGpuDevice();
    expect(await gpuDevice()).toBe(cpuDevice());
    const w = warnings().filter((m) => m.includes("Defaulting to the CPU"));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain("software renderer");
    expect(w[0]).toContain("FLUX_ALLOW_SOFTWARE_GPU=1");
    expect(w[0]).toContain("allowSoftware: true");
    const r = lastSelection()!;
    expect(r.backend).toBe("cpu");
    expect(r.code).toBe("software-only");
    expect(r.hint).toContain("FLUX_ALLOW_SOFTWARE_GPU=1");
    await expect(gpuDevice(undefined, { force: true })).rejects.toThrow(/FLUX_ALLOW_SOFTWARE_GPU/);
    resetGpuDevice();
    const err = await gpuDevice(undefined, { force: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceSelectionError);
    expect((err as Error).message).toContain("software renderer");
  });

  it("are chosen with { allowSoftware: true }, even after a cached CPU fallback", async () => {
    process.env.FLUX_GPU_BACKEND = "softonly";
    process.env.FLUX_VISIBLE_DEVICES = "0";
    expect(await gpuDevice()).toBe(cpuDevice());
    const dev = await gpuDevice(undefined, { allowSoftware: true });
    expect(String(dev)).toBe("GPUDevice(softonly:0)");
    const r = lastSelection()!;
    expect(r.code).toBe("software-allowed");
    expect(r.allowSoftware).toBe(true);
    expect(r.reason).toContain("allowSoftware: true was passed");
    expect(r.adapter?.kind).toBe("software");
  });

  it("are chosen with FLUX_ALLOW_SOFTWARE_GPU=1", async () => {
    process.env.FLUX_GPU_BACKEND = "softonly";
    process.env.FLUX_ALLOW_SOFTWARE_GPU = "1";
    expect(String(await gpuDevice())).toBe("GPUDevice(softonly:0)");
    expect(lastSelection()?.reason).toContain("FLUX_ALLOW_SOFTWARE_GPU=1");
    expect(warnings()).toEqual([]);
  });

  it("an explicit id of a software adapter is not chosen either, unless allowed", async () => {
    process.env.FLUX_GPU_BACKEND = "mixed";
    expect(String(await gpuDevice(1))).toBe("GPUDevice(mixed:1)");
    resetGpuDevice();
    const dev = await gpuDevice(0, { warn: false });
    expect(dev.kind).not.toBe("mixed");
    expect(lastSelection()?.attempts[0]).toMatchObject({ backend: "mixed", code: "software-only" });
    resetGpuDevice();
    expect(String(await gpuDevice(0, { allowSoftware: true }))).toBe("GPUDevice(mixed:0)");
  });

  it("gpuDevices() lists them, marked software", async () => {
    const list = await gpuDevices();
    expect(list.find((d) => d.backend === "webgpu")).toMatchObject({
      name: "SwiftShader Device (Subzero)",
      software: true,
    });
    expect(list.filter((d) => d.backend === "mixed").map((d) => d.software)).toEqual([true, false]);
  });
});

describe("the selection report", () => {
  it("is null before a selection and after resetGpuDevice()", async () => {
    expect(lastSelection()).toBeNull();
    await gpuDevice();
    expect(lastSelection()).not.toBeNull();
    resetGpuDevice();
    expect(lastSelection()).toBeNull();
  });

  it("deviceReport() runs the selection without the console warning", async () => {
    process.env.FLUX_VISIBLE_DEVICES = "-1";
    const r = await deviceReport();
    expect(warnings()).toEqual([]);
    expect(r).toMatchObject({
      device: "CPUDevice()",
      backend: "cpu",
      id: null,
      adapter: null,
      code: "hidden",
    });
    expect(r.runtime).toBe("node");
    expect(r.reason).toBe("FLUX_VISIBLE_DEVICES hides every GPU");
    expect(r.hint).toContain("Unset FLUX_VISIBLE_DEVICES");
    expect(r.attempts.map((a) => a.code)).toEqual(["hidden", "hidden", "hidden"]);
  });

  it("FLUX_VISIBLE_DEVICES=-1 never asks the GPU object for an adapter", async () => {
    process.env.FLUX_VISIBLE_DEVICES = "-1";
    await gpuDevice();
    await gpuDevices();
    expect(requests).toBe(0);
  });
});

describe("argument errors", () => {
  it("gpuDevice(0, null) and other bad options: a named error saying what is expected", async () => {
    const err = await gpuDevice(0, null as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DevicesError);
    expect(err).toMatchObject({ code: "ERR_ARGUMENT" });
    expect((err as Error).message).toContain(
      "options must be an object such as { force: true } (or left out), got null",
    );
    await expect(gpuDevice(0, { forse: true } as never)).rejects.toThrow(/unknown option "forse".*"force"/);
    await expect(gpuDevice(0, { allowSoftware: "yes" } as never)).rejects.toMatchObject({
      code: "ERR_ARGUMENT",
    });
    await expect(gpuDevice(Promise.resolve(0) as never)).rejects.toThrow(/gpuDevice\(a Promise\)/);
    await expect(deviceReport(null as never)).rejects.toMatchObject({ code: "ERR_ARGUMENT" });
  });

  it("gpu, cpu, dev and getDevice throw UnawaitedPromiseError for a Promise", async () => {
    const p = Promise.resolve({ w: tensor([1], [1]) });
    const dev = cpuDevice();
    for (const f of [() => gpu(p), () => cpu(p), () => dev(p), () => getDevice(p), () => getDeviceType(p)]) {
      let thrown: unknown;
      try {
        f();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(UnawaitedPromiseError);
      expect((thrown as Error).message).toContain("did you forget `await`?");
    }
    expect((await cpu(await p)).w.shape).toEqual([1]);
  });
});
