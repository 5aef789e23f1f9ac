// `getDevice(x)` / `getDeviceType(x)` (MLDataDevices): the one device all tensor leaves of `x` sit on.
import { checkNotPromise, fleavesWithPath, keyPathString } from "@flux/functors";
import type { DeviceDescriptor } from "@flux/kernels";
import { cpuDevice } from "./cpuDevice.js";
import { type Device, internDevice, UnknownDevice } from "./device.js";
import { MixedDevicesError } from "./errors.js";
import { isDeviceAgnostic, isOpaqueLeaf, isTensorLeaf } from "./leaves.js";
import { visibleIdOf } from "./visibleDevices.js";

/**
 * The device of every tensor leaf of `x`, as a (callable) device object with the default eltype.
 *
 * Returns `null` when `x` holds no tensor (numbers, strings, typed arrays, RNGs are device-agnostic),
 * `UnknownDevice` when it holds only leaves it cannot place (functions, unknown objects; they never
 * outvote a tensor), and throws `MixedDevicesError` naming both devices when tensors sit on different ones.
 *
 * @example
 * getDevice({ w: zeros([2]), n: 3 }) === cpuDevice(); // true
 * getDevice([1, "a"]);                               // null
 */
export function getDevice(x: unknown): Device | null {
  checkNotPromise(x, "getDevice", "x");
  let found: Device | null = null;
  let foundPath = "";
  for (const [path, leaf] of fleavesWithPath(x, { exclude: isOpaqueLeaf })) {
    const d = leafDevice(leaf);
    if (d === null) continue;
    if (found === null || (found === UnknownDevice && d !== UnknownDevice)) {
      found = d;
      foundPath = keyPathString(path);
    } else if (d !== found && d !== UnknownDevice) {
      throw new MixedDevicesError(
        "getDevice",
        String(found),
        foundPath || "(root)",
        String(d),
        keyPathString(path) || "(root)",
      );
    }
  }
  return found;
}

/**
 * The device type of `x`'s tensors: `"cpu"`, a GPU backend name (`"webgpu"`), `"unknown"`, or `null` when `x`
 * holds no tensor. Like `getDevice`, but tensors on different adapters of one backend agree; different
 * backends throw `MixedDevicesError`.
 *
 * @example
 * getDeviceType({ w: zeros([2]) }); // "cpu"
 */
export function getDeviceType(x: unknown): string | null {
  checkNotPromise(x, "getDeviceType", "x");
  let found: string | null = null;
  let foundPath = "";
  for (const [path, leaf] of fleavesWithPath(x, { exclude: isOpaqueLeaf })) {
    const d = leafDevice(leaf);
    if (d === null) continue;
    const kind = d.kind;
    if (found === null || (found === "unknown" && kind !== "unknown")) {
      found = kind;
      foundPath = keyPathString(path);
    } else if (kind !== found && kind !== "unknown") {
      throw new MixedDevicesError(
        "getDeviceType",
        found,
        foundPath || "(root)",
        kind,
        keyPathString(path) || "(root)",
      );
    }
  }
  return found;
}

function leafDevice(leaf: unknown): Device | null {
  if (isTensorLeaf(leaf)) return deviceOfTensor(leaf.device);
  if (isDeviceAgnostic(leaf)) return null;
  return UnknownDevice;
}

/**
 * @internal The device object for a kernels descriptor (visible ids under FLUX_VISIBLE_DEVICES; a hidden
 * adapter gives UnknownDevice).
 */
function deviceOfTensor(d: DeviceDescriptor): Device {
  if (d.backend === "cpu") return cpuDevice();
  const id = visibleIdOf(d.backend, d.id);
  if (id === null) return UnknownDevice;
  return internDevice({ backend: d.backend, id, physical: d.id, eltype: undefined });
}
