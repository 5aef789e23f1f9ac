// Device objects: a device IS the transfer function (MLDataDevices: `(dev::AbstractDevice)(x)`), a function
// object with read-only properties. Devices are interned, so `getDevice(x) === dev` holds for default eltypes.
import { checkNotPromise } from "@flux/functors";
import { type DeviceDescriptor, deviceOf } from "@flux/kernels";
import type { DeviceIterator } from "./deviceIterator.js";
import { type Eltype, eltypeText } from "./eltype.js";
import { DevicesError } from "./errors.js";
import type { DATALOADER } from "./isLoader.js";
import { makeDeviceIterator } from "./deviceIterator.js";
import { moveTree, type TransferOptions } from "./transfer.js";

/**
 * What `dev(x)` / `gpu(x)` return, as at run time (see `isLoader`): a loader (a value whose type carries the
 * `DATALOADER` brand, as @flux/data's `DataLoader` does) or an iterator gives a `DeviceIterator` of its
 * items at once; anything else a Promise of the moved structure, which keeps its type.
 *
 * @example
 * const batches: DeviceIterator<[Tensor, Tensor]> = gpu(DataLoader([x, y], { batchsize: 4 }));
 * const m: Promise<typeof model> = gpu(model);
 */
export type Moved<T> = T extends { readonly [DATALOADER]: true }
  ? DeviceIterator<LoaderItem<T>>
  : T extends Iterator<infer I> | AsyncIterator<infer I>
    ? DeviceIterator<I>
    : Promise<T>;

// The item type of a loader: what `for await` over it gives (its sync items when it is only iterable).
type LoaderItem<T> = T extends AsyncIterable<infer I> ? I : T extends Iterable<infer I> ? I : unknown;

/**
 * A device: call it to move data there (`await dev(model)`), read where it is from its properties.
 *
 * `kind` is the device type `getDeviceType` reports: `"cpu"`, a GPU backend name (`"webgpu"`), or
 * `"unknown"`. `backend` is the @flux/kernels backend that stores its tensors (`null` for `UnknownDevice`),
 * `id` the 0-based visible adapter id (`null` on the CPU), `device` the kernels descriptor tensors carry
 * (its id is the physical adapter, which differs from `id` under FLUX_VISIBLE_DEVICES), `eltype` the
 * element-type rule of transfers (see README).
 *
 * @example
 * const dev = await gpuDevice();
 * const m2 = await dev(model);   // every tensor of model moved (ties kept)
 * String(dev);                   // "GPUDevice(webgpu:0)" or "CPUDevice()"
 */
export interface Device {
  <T>(x: T, options?: TransferOptions): Moved<T>;
  /** `"cpu"`, the GPU backend name, or `"unknown"`. */
  readonly kind: string;
  /** The kernels backend name, or `null` for `UnknownDevice`. */
  readonly backend: string | null;
  /** The visible adapter id (0-based), `null` for CPU and unknown devices. */
  readonly id: number | null;
  /** The element-type rule of transfers to this device. */
  readonly eltype: Eltype;
  /** The kernels device descriptor of its tensors (`null` for `UnknownDevice`). */
  readonly device: DeviceDescriptor | null;
  /** Whether this is a GPU device (not the CPU, not unknown). */
  readonly isGpu: boolean;
  /** The same device with another element-type rule (MLDataDevices' `with_eltype`). */
  withEltype(eltype: Eltype): Device;
  toString(): string;
}

/** @internal What identifies a device. */
export interface DeviceSpec {
  readonly backend: string | null;
  readonly id: number | null;
  readonly physical: number | null;
  readonly eltype: Eltype;
}

const interned = new Map<string, Device>();

const deviceProto: object = Object.create(Function.prototype, {
  withEltype: {
    value(this: Device & { spec: DeviceSpec }, eltype: Eltype): Device {
      return internDevice({ ...specOf(this), eltype });
    },
  },
  toString: { value: describe },
  [Symbol.for("nodejs.util.inspect.custom")]: { value: describe },
  [Symbol.toStringTag]: { value: "Device" },
});

const specs = new WeakMap<object, DeviceSpec>();

function specOf(dev: object): DeviceSpec {
  const s = specs.get(dev);
  if (s === undefined) throw new TypeError("[@flux/devices] not a device object");
  return s;
}

function describe(this: Device): string {
  const s = specOf(this);
  const el = s.eltype === undefined ? "" : `eltype=${eltypeText(s.eltype)}`;
  if (s.backend === null) return "UnknownDevice()";
  if (s.backend === "cpu") return `CPUDevice(${el})`;
  return `GPUDevice(${s.backend}:${s.id}${el === "" ? "" : `, ${el}`})`;
}

/**
 * @internal The one device object for a spec (created on first use).
 */
export function internDevice(spec: DeviceSpec): Device {
  const key = `${spec.backend}|${spec.id}|${spec.physical}|${eltypeText(spec.eltype)}`;
  const have = interned.get(key);
  if (have !== undefined) return have;
  const dev = ((x: unknown, options?: TransferOptions) => transferCall(dev, x, options)) as unknown as Device;
  Object.setPrototypeOf(dev, deviceProto);
  const kernelsDevice = spec.backend === null ? null : deviceOf(spec.backend, spec.physical ?? 0);
  Object.defineProperties(dev, {
    kind: { value: spec.backend ?? "unknown", enumerable: true },
    backend: { value: spec.backend, enumerable: true },
    id: { value: spec.id, enumerable: true },
    eltype: { value: spec.eltype, enumerable: true },
    device: { value: kernelsDevice, enumerable: true },
    isGpu: { value: spec.backend !== null && spec.backend !== "cpu", enumerable: true },
  });
  specs.set(dev, spec);
  Object.freeze(dev);
  interned.set(key, dev);
  return dev;
}

function transferCall(dev: Device, x: unknown, options: TransferOptions | undefined): unknown {
  checkNotPromise(x, "dev", "x");
  if (dev.backend === null) {
    return Promise.reject(
      new DevicesError(
        "ERR_UNKNOWN_DEVICE",
        "cannot move data to UnknownDevice(): it stands for leaves whose device could not be determined. " +
          "Move data with cpuDevice() or gpuDevice() instead.",
      ),
    );
  }
  return makeDeviceIterator(dev, x, options) ?? moveTree(dev, x, options).then((r) => r.value);
}

/**
 * Whether `x` is a device object of this package.
 *
 * @example
 * isDevice(cpuDevice()); // true
 */
export function isDevice(x: unknown): x is Device {
  return typeof x === "function" && specs.has(x);
}

/**
 * The device `getDevice` returns for leaves it cannot place (functions, unknown objects), as in
 * MLDataDevices. Calling it rejects: there is nowhere to move to.
 *
 * @example
 * getDevice(() => 1) === UnknownDevice; // true
 */
export const UnknownDevice: Device = internDevice({
  backend: null,
  id: null,
  physical: null,
  eltype: undefined,
});
