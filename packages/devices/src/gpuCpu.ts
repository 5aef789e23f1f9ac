// Flux's conveniences: `gpu(x) = gpu_device()(x)` and `cpu(x) = cpu_device()(x)`.
import { checkNotPromise } from "@flux/functors";
import { cpuDevice } from "./cpuDevice.js";
import type { Moved } from "./device.js";
import { makeDeviceIterator } from "./deviceIterator.js";
import { gpuDevice } from "./gpuDevice.js";
import type { TransferOptions } from "./transfer.js";

/**
 * Moves `x` to the GPU `gpuDevice()` selects (the CPU, with a one-time warning, when there is none): every
 * float tensor becomes f32 (f16 kept), other leaves pass through. A loader (see `isLoader`) gives a
 * `DeviceIterator` at once instead of a Promise.
 *
 * @example
 * const m = await gpu(model);
 * for await (const [x, y] of gpu(loader)) { ... }
 */
export function gpu<T>(x: T, options?: TransferOptions): Moved<T> {
  checkNotPromise(x, "gpu", "x");
  const it = makeDeviceIterator(gpuDevice(), x, options);
  if (it !== undefined) return it as Moved<T>;
  return gpuDevice().then((dev) => dev(x, options) as Promise<unknown>) as Moved<T>;
}

/**
 * Moves `x` to the CPU, keeping dtypes (`cpuDevice()(x)`): use it before saving a GPU-trained model.
 *
 * @example
 * const hostModel = await cpu(gpuModel);
 */
export function cpu<T>(x: T, options?: TransferOptions): Moved<T> {
  checkNotPromise(x, "cpu", "x");
  return cpuDevice()(x, options);
}
