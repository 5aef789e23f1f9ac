// The CPU device (MLDataDevices' `cpu_device`).
import { type Device, internDevice } from "./device.js";
import { type Eltype, isEltype } from "./eltype.js";
import { DevicesError } from "./errors.js";

/**
 * The CPU device: `await cpuDevice()(x)` moves every tensor of `x` to the CPU.
 *
 * `eltype` controls float conversion: `undefined` (default) and `null` preserve every dtype; `"f32"`,
 * `"f64"` or `"f16"` convert float tensors only (integers and bools are never touched). Synchronous: the
 * CPU always exists.
 *
 * @example
 * const host = await cpuDevice()(gpuModel);        // same dtypes, on the CPU
 * const x64 = await cpuDevice("f64")(tensorF32);   // floats widened to f64
 */
export function cpuDevice(eltype?: Eltype): Device {
  if (!isEltype(eltype)) {
    throw new DevicesError(
      "ERR_ARGUMENT",
      `cpuDevice(eltype): eltype must be undefined, null, "f32", "f16" or "f64", got ${JSON.stringify(eltype)}.`,
    );
  }
  return internDevice({ backend: "cpu", id: null, physical: 0, eltype });
}
