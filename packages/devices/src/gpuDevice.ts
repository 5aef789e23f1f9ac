// `gpuDevice(id?, { eltype, force, allowSoftware, warn })` (MLDataDevices' `gpu_device`), `resetGpuDevice()`
// and `deviceReport()`. The choice is cached, CPU fallback included, until resetGpuDevice(); after
// gpuDevice(k) a plain gpuDevice() returns k.
import { checkOptionKeys } from "@flux/functors";
import { cpuDevice } from "./cpuDevice.js";
import { type Device, internDevice } from "./device.js";
import { type Eltype, isEltype } from "./eltype.js";
import { DeviceIdError, DeviceSelectionError, DevicesError } from "./errors.js";
import { clearProbes } from "./gpuBackends.js";
import { lastSelection, type SelectionReport, setLastSelection } from "./report.js";
import { readEnv } from "./runtime.js";
import { chooseDevice } from "./select.js";
import { warnOnce } from "./warnOnce.js";

/** Options of `gpuDevice`. */
export interface GpuDeviceOptions {
  /**
   * Element-type rule of transfers: `undefined` (default) converts float tensors to f32 and keeps f16;
   * `null` preserves every dtype; `"f32"`, `"f16"`, `"f64"` convert float tensors to it. Integer and bool
   * tensors are never converted.
   */
  readonly eltype?: Eltype;
  /** Throw `DeviceSelectionError` instead of falling back to the CPU. */
  readonly force?: boolean;
  /**
   * Let a software adapter be chosen (SwiftShader, llvmpipe/lavapipe, WARP, a fallback adapter: a CPU
   * running shaders, usually slower than the CPU backend). Default: the FLUX_ALLOW_SOFTWARE_GPU environment
   * variable (`1`), else `false`.
   */
  readonly allowSoftware?: boolean;
  /**
   * Print the one-time warning when falling back to the CPU (default `true`; FLUX_SILENCE_WARN_NO_GPU=1
   * also silences it). Apps that show `lastSelection()` themselves pass `false`.
   */
  readonly warn?: boolean;
}

const OPTION_KEYS = ["eltype", "force", "allowSoftware", "warn"] as const;

let selected: Device | null = null;
let selectedAllowsSoftware = false;
// Selections run one at a time, so concurrent first calls probe and warn once.
let queue: Promise<unknown> = Promise.resolve();

/**
 * The GPU device to use (or the CPU, with a one-time warning, when none works), as a callable device.
 *
 * Selection: the backend preference (`setGpuBackend`, or `FLUX_GPU_BACKEND`) if that backend is loaded and
 * works, else the first working backend of `supportedGpuBackends()`, else `cpuDevice()` (warning silenced by
 * `FLUX_SILENCE_WARN_NO_GPU=1` or `warn: false`; `force: true` throws `DeviceSelectionError` instead).
 * Software adapters (SwiftShader, llvmpipe, WARP...) are passed over unless `allowSoftware: true` or
 * `FLUX_ALLOW_SOFTWARE_GPU=1`. `id` is the 0-based visible adapter (FLUX_VISIBLE_DEVICES renumbers). The
 * choice is remembered until `resetGpuDevice()`: after `gpuDevice(1)`, `gpuDevice()` returns adapter 1.
 * `lastSelection()` says what was seen and why this device was chosen.
 *
 * @example
 * const dev = await gpuDevice();            // GPUDevice(webgpu:0), or CPUDevice() with a warning
 * const model2 = await dev(model);
 * const dev1 = await gpuDevice(1);          // second adapter
 * const keep = await gpuDevice(0, { eltype: null }); // no f32 conversion
 */
export function gpuDevice(id?: number, options: GpuDeviceOptions = {}): Promise<Device> {
  const run = queue.then(() => select(id, options));
  queue = run.catch(() => {});
  return run;
}

/**
 * Runs the `gpuDevice()` selection if none has run yet (without the console warning) and returns its
 * report: the adapters seen (hardware or software), the chosen device, and why, in words and as a code.
 *
 * @example
 * const r = await deviceReport();
 * console.log(`${r.device}: ${r.reason}`); // "CPUDevice(): no Vulkan driver is installed (...)"
 */
export async function deviceReport(options: Omit<GpuDeviceOptions, "eltype"> = {}): Promise<SelectionReport> {
  checkOptions("deviceReport", options);
  await gpuDevice(undefined, { warn: false, ...options });
  return lastSelection()!;
}

function checkOptions(fn: string, options: unknown): asserts options is GpuDeviceOptions {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new DevicesError(
      "ERR_ARGUMENT",
      `${fn}: options must be an object such as { force: true } (or left out), got ${
        options === null ? "null" : Array.isArray(options) ? "an array" : typeof options
      }.`,
    );
  }
  checkOptionKeys(fn, options, OPTION_KEYS, (message) => new DevicesError("ERR_ARGUMENT", message));
  const o = options as Record<string, unknown>;
  for (const key of ["force", "allowSoftware", "warn"]) {
    if (o[key] !== undefined && typeof o[key] !== "boolean") {
      throw new DevicesError(
        "ERR_ARGUMENT",
        `${fn}: option ${key} must be true or false, got ${JSON.stringify(o[key])}.`,
      );
    }
  }
}

async function select(id: number | undefined, options: GpuDeviceOptions): Promise<Device> {
  checkOptions("gpuDevice", options);
  const { eltype, force = false, warn = true } = options;
  if (id !== undefined && (typeof id !== "number" || !Number.isInteger(id) || id < 0)) {
    throw new DeviceIdError(
      "ERR_DEVICE_ID",
      `gpuDevice(${describeId(id)}): device ids are 0-based non-negative integers (gpuDevice(0) is the first ` +
        "adapter; Flux's gpu_device(1) is our gpuDevice(0)). List adapters with gpuDevices().",
    );
  }
  if (!isEltype(eltype)) {
    throw new DevicesError(
      "ERR_ARGUMENT",
      `gpuDevice: eltype must be undefined, null, "f32", "f16" or "f64", got ${JSON.stringify(eltype)}.`,
    );
  }
  const fromEnv = readEnv("FLUX_ALLOW_SOFTWARE_GPU") === "1";
  const allowSoftware = options.allowSoftware ?? fromEnv;
  const allowSoftwareSource =
    options.allowSoftware === true ? "allowSoftware: true was passed" : "FLUX_ALLOW_SOFTWARE_GPU=1 is set";
  // A cached CPU fallback is kept, unless this call allows software adapters the cached choice did not.
  const reselect = selected !== null && !selected.isGpu && allowSoftware && !selectedAllowsSoftware;
  if (selected !== null && !reselect) {
    if (id === undefined) {
      if (force && !selected.isGpu) {
        const why = lastSelection();
        throw new DeviceSelectionError(
          "no functional GPU device: the cached selection is the CPU fallback and force is true" +
            `${why ? ` (${why.reason})` : ""}. ${why?.hint ? `${why.hint} ` : ""}Call resetGpuDevice() to run ` +
            "the selection again after fixing the GPU setup.",
        );
      }
      return selected.withEltype(eltype);
    }
    if (selected.isGpu && selected.id === id) return selected.withEltype(eltype);
  }
  const outcome = await chooseDevice({ id, force, allowSoftware, allowSoftwareSource, warn });
  let device: Device;
  if (outcome.adapter === null) {
    if (id !== undefined && warn) {
      warnOnce(
        "cpu-device-id",
        `[@flux/devices] gpuDevice(${id}): no GPU is in use, so the device id does not apply to the CPU ` +
          "fallback; ignoring it.",
      );
    }
    device = cpuDevice();
  } else {
    const a = outcome.adapter;
    device = internDevice({ backend: outcome.backend, id: a.id, physical: a.physicalId, eltype: undefined });
  }
  selected = device;
  selectedAllowsSoftware = allowSoftware;
  setLastSelection({ ...outcome.report, device: String(device) });
  return device.withEltype(eltype);
}

function describeId(id: unknown): string {
  if (typeof id === "string") return JSON.stringify(id);
  if (id !== null && typeof id === "object")
    return typeof (id as { then?: unknown }).then === "function" ? "a Promise" : "an object";
  return String(id);
}

/**
 * Forgets the cached `gpuDevice()` choice (and backend probe results), so the next call selects again
 * (MLDataDevices' `reset_gpu_device!`). `setGpuBackend` calls it.
 *
 * @example
 * resetGpuDevice(); const dev = await gpuDevice(); // selection runs again
 */
export function resetGpuDevice(): void {
  selected = null;
  selectedAllowsSoftware = false;
  setLastSelection(null);
  clearProbes();
}
