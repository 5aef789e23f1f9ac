// Where the page trains: Flux's `gpu_device()` from @flux/devices (WebGPU from navigator.gpu in a browser),
// with the CPU as the fallback, plus what the browser says about the adapter.
import { type Device, cpuDevice, gpuDevice, gpuDevices } from "@flux/devices";
import type { DeviceChoice } from "./options";

/** What the page shows about the hardware. */
export interface AdapterSummary {
  /** `adapter.info` fields the browser exposes (often only vendor and architecture). */
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  /** Whether the browser calls it a fallback (software) adapter. */
  readonly isFallback: boolean;
}

/** The chosen device. */
export interface ChosenDevice {
  /** The @flux device object: call it to move a model or a batch there. */
  readonly device: Device;
  /** `"webgpu"` or `"cpu"`. */
  readonly kind: string;
  /** How @flux prints it, e.g. `GPUDevice(webgpu:0)`. */
  readonly name: string;
  /** @flux's name for the adapter (gpuDevices), or a description of the CPU backend. */
  readonly label: string;
  /** The WebGPU adapter's info, `null` on the CPU. */
  readonly adapter: AdapterSummary | null;
  /** Why the CPU was used, `null` when on a GPU or when the CPU was asked for. */
  readonly reason: string | null;
}

// A software adapter runs shaders on the CPU: the page still uses it (it is what `auto` finds), but says so.
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software/i;

/** Whether an adapter is a CPU emulating a GPU (SwiftShader, lavapipe...). @example isSoftware(a) */
export function isSoftwareAdapter(a: AdapterSummary): boolean {
  return a.isFallback || SOFTWARE_ADAPTER.test(`${a.vendor} ${a.architecture} ${a.description}`);
}

async function adapterSummary(): Promise<AdapterSummary | null> {
  const adapter = await globalThis.navigator?.gpu?.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor ?? "",
    architecture: info.architecture ?? "",
    description: info.description ?? "",
    isFallback: Boolean(info.isFallbackAdapter ?? legacy.isFallbackAdapter),
  };
}

function cpuLabel(): string {
  const cores = globalThis.navigator?.hardwareConcurrency;
  return `@flux CPU backend (WebAssembly SIMD)${cores ? `, ${cores} logical cores` : ""}`;
}

/**
 * Picks the device for `choice`: `auto` is `gpuDevice()` (the CPU, with the reason, when no WebGPU adapter
 * works), `webgpu` fails instead of falling back, `cpu` is `cpuDevice()`.
 *
 * @example
 * const chosen = await chooseDevice("auto"); chosen.name; // "GPUDevice(webgpu:0)"
 */
export async function chooseDevice(choice: DeviceChoice): Promise<ChosenDevice> {
  if (choice === "cpu") {
    const device = cpuDevice();
    return { device, kind: "cpu", name: String(device), label: cpuLabel(), adapter: null, reason: null };
  }
  // gpuDevice() explains a CPU fallback in a one-time console warning: keep its first line as the reason.
  let reason: string | null = null;
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    reason ??= String(args[0])
      .split("\n")[0]!
      .replace(/^\[@flux\/devices\]\s*/, "");
    warn(...args);
  };
  let device: Device;
  try {
    device = await gpuDevice(undefined, { force: choice === "webgpu" });
  } finally {
    console.warn = warn;
  }
  if (!device.isGpu) {
    const why = reason ?? (globalThis.navigator?.gpu ? "no WebGPU adapter" : "this browser has no WebGPU");
    return { device, kind: "cpu", name: String(device), label: cpuLabel(), adapter: null, reason: why };
  }
  const listed = (await gpuDevices()).find((d) => d.id === device.id);
  return {
    device,
    kind: device.kind,
    name: String(device),
    label: listed?.name ?? "WebGPU adapter",
    adapter: await adapterSummary(),
    reason: null,
  };
}
