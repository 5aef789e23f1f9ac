// `gpuDevice(id?, { eltype, force })` (MLDataDevices' `gpu_device`) and `resetGpuDevice()`. The choice is
// cached, CPU fallback included, until resetGpuDevice(); after gpuDevice(k) a plain gpuDevice() returns k.
import { cpuDevice } from "./cpuDevice";
import { type Device, internDevice } from "./device";
import { type Eltype, isEltype } from "./eltype";
import { DeviceIdError, DeviceSelectionError, DevicesError } from "./errors";
import { clearProbes, visibleAdapters } from "./gpuBackends";
import { chooseBackend } from "./select";
import { warnOnce } from "./warnOnce";

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
}

let selected: Device | null = null;
// Selections run one at a time, so concurrent first calls probe and warn once.
let queue: Promise<unknown> = Promise.resolve();

/**
 * The GPU device to use (or the CPU, with a one-time warning, when none works), as a callable device.
 *
 * Selection: the backend preference (`setGpuBackend`, or `FLUX_GPU_BACKEND`) if that backend is loaded and
 * functional, else the first functional backend of `supportedGpuBackends()`, else `cpuDevice()` (warning
 * silenced by `FLUX_SILENCE_WARN_NO_GPU=1`; `force: true` throws `DeviceSelectionError` instead). `id` is the
 * 0-based visible adapter (FLUX_VISIBLE_DEVICES renumbers). The choice is remembered until
 * `resetGpuDevice()`: after `gpuDevice(1)`, `gpuDevice()` returns adapter 1.
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

async function select(id: number | undefined, options: GpuDeviceOptions): Promise<Device> {
  const { eltype, force = false } = options;
  if (id !== undefined && (!Number.isInteger(id) || id < 0)) {
    throw new DeviceIdError(
      "ERR_DEVICE_ID",
      `gpuDevice(${String(id)}): device ids are 0-based non-negative integers (gpuDevice(0) is the first ` +
        "adapter; Flux's gpu_device(1) is our gpuDevice(0)). List adapters with gpuDevices().",
    );
  }
  if (!isEltype(eltype)) {
    throw new DevicesError(
      "ERR_ARGUMENT",
      `gpuDevice: eltype must be undefined, null, "f32", "f16" or "f64", got ${JSON.stringify(eltype)}.`,
    );
  }
  if (selected !== null) {
    if (id === undefined) {
      if (force && !selected.isGpu) {
        throw new DeviceSelectionError(
          "no functional GPU device: the cached selection is the CPU fallback and force is true. Call " +
            "resetGpuDevice() to run the selection again after fixing the GPU setup.",
        );
      }
      return selected.withEltype(eltype);
    }
    if (selected.isGpu && selected.id === id) return selected.withEltype(eltype);
  }
  const backend = await chooseBackend({ force });
  let device: Device;
  if (backend === "cpu") {
    if (id !== undefined) {
      warnOnce(
        "cpu-device-id",
        `[@flux/devices] gpuDevice(${id}): no GPU is in use, so the device id does not apply to the CPU ` +
          "fallback; ignoring it.",
      );
    }
    device = cpuDevice();
  } else {
    const physical = await visibleAdapters(backend);
    const want = id ?? 0;
    if (want >= physical.length) {
      throw new DeviceIdError(
        "ERR_DEVICE_ID_OUT_OF_RANGE",
        `gpuDevice(${want}): backend "${backend}" has ${physical.length} visible adapter(s)` +
          `${physical.length > 0 ? ` (ids 0 to ${physical.length - 1})` : ""}. List them with gpuDevices(); ` +
          "FLUX_VISIBLE_DEVICES may hide some.",
      );
    }
    device = internDevice({ backend, id: want, physical: physical[want]!, eltype: undefined });
  }
  selected = device;
  return device.withEltype(eltype);
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
  clearProbes();
}
