// Where the page trains: Flux's `gpu_device()` from @flux/devices (WebGPU from navigator.gpu in a browser),
// with the CPU as the fallback. What was seen and why this device was chosen come from @flux/devices'
// selection report (`lastSelection()`): adapters marked hardware or software, the reason and the advice.
import { type AdapterReport, type Device, cpuDevice, gpuDevice, lastSelection } from "@flux/devices";
import type { DeviceChoice } from "./options.js";

/** What the page shows about the hardware. */
export interface AdapterSummary {
  /** The adapter's name (description, else vendor and architecture, as the browser exposes them). */
  readonly name: string;
  readonly vendor: string;
  /** A CPU renderer (SwiftShader, llvmpipe, WARP...): @flux/devices chooses it only when asked. */
  readonly isSoftware: boolean;
}

/** The chosen device. */
export interface ChosenDevice {
  /** The @flux device object: call it to move a model or a batch there. */
  readonly device: Device;
  /** `"webgpu"` or `"cpu"`. */
  readonly kind: string;
  /** How @flux prints it, e.g. `GPUDevice(webgpu:0)`. */
  readonly name: string;
  /** The adapter's name, or a description of the CPU backend. */
  readonly label: string;
  /** The WebGPU adapter used, `null` on the CPU. */
  readonly adapter: AdapterSummary | null;
  /** Why the CPU was used, `null` when on a GPU or when the CPU was asked for. */
  readonly reason: string | null;
  /** What to do to get a GPU (from the report), `null` when there is nothing to say. */
  readonly hint: string | null;
  /** Adapters that were seen but not used (e.g. a software adapter passed over). */
  readonly skipped: readonly AdapterSummary[];
}

function summary(a: AdapterReport): AdapterSummary {
  return { name: a.name, vendor: a.vendor, isSoftware: a.kind === "software" };
}

function cpuLabel(): string {
  const cores = globalThis.navigator?.hardwareConcurrency;
  return `@flux CPU backend (WebAssembly SIMD)${cores ? `, ${cores} logical cores` : ""}`;
}

/**
 * Picks the device for `choice`: `auto` is `gpuDevice()` (a hardware GPU, else the CPU with the reason;
 * a software adapter such as SwiftShader is passed over), `webgpu` insists (no fallback, and a software
 * adapter is accepted), `cpu` is `cpuDevice()`.
 *
 * @example
 * const chosen = await chooseDevice("auto"); chosen.name; // "GPUDevice(webgpu:0)"
 */
export async function chooseDevice(choice: DeviceChoice): Promise<ChosenDevice> {
  if (choice === "cpu") {
    const device = cpuDevice();
    const label = cpuLabel();
    return {
      device,
      kind: "cpu",
      name: String(device),
      label,
      adapter: null,
      reason: null,
      hint: null,
      skipped: [],
    };
  }
  const device = await gpuDevice(
    undefined,
    choice === "webgpu" ? { force: true, allowSoftware: true } : { warn: false },
  );
  const report = lastSelection();
  const chosen = report?.adapter ?? null;
  const skipped = (report?.adapters ?? []).filter((a) => a !== chosen).map(summary);
  if (!device.isGpu || chosen === null) {
    return {
      device,
      kind: "cpu",
      name: String(device),
      label: cpuLabel(),
      adapter: null,
      reason: report?.reason ?? "no usable GPU",
      hint: report?.hint ?? null,
      skipped,
    };
  }
  return {
    device,
    kind: device.kind,
    name: String(device),
    label: chosen.name,
    adapter: summary(chosen),
    reason: null,
    hint: report?.hint ?? null,
    skipped,
  };
}
