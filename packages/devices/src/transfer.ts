// Moving a structure to a device: every tensor leaf once (so ties stay tied), with the device's element-type
// rule, then one `fmap` rebuild. Tensors are moved concurrently; on failure the copies already made are freed.
import { type FmapOptions, fleaves, fmap, fmapOptions } from "@flux/functors";
import { cast, type DType, getBackend, type Tensor, tensor, toDevice } from "@flux/kernels";
import type { Device } from "./device.js";
import { targetDType } from "./eltype.js";
import { DeviceDTypeError, DevicesError } from "./errors.js";
import { isOpaqueLeaf, isTensorLeaf } from "./leaves.js";

/** Options of a transfer, `dev(x, options)`. */
export interface TransferOptions {
  /**
   * What happens to typed arrays (`Float32Array`...): `"keep"` (default) passes them through as host data,
   * `"tensor"` turns `Float32Array`, `Float64Array`, `Int32Array`, `Uint32Array` and `Uint8Array` into 1-D
   * tensors (f32, f64, i32, u32, u8) on the device. Other typed arrays always pass through.
   */
  readonly typedArrays?: "keep" | "tensor";
}

/** The result of a transfer: the rebuilt structure and the tensors the transfer created. */
export interface MoveResult<T> {
  readonly value: T;
  /** New tensors (not those already on the device), in leaf order: what a DeviceIterator frees later. */
  readonly created: readonly Tensor[];
}

const TYPED_DTYPES: ReadonlyArray<[new (...a: never[]) => ArrayBufferView, DType]> = [
  [Float32Array, "f32"],
  [Float64Array, "f64"],
  [Int32Array, "i32"],
  [Uint32Array, "u32"],
  [Uint8Array, "u8"],
];

/**
 * Moves every tensor leaf of `x` to `dev` and rebuilds `x` around the results (MLDataDevices'
 * `fmap(adapt(dev), x)`). A tensor already on `dev` with the target dtype is returned as the same object.
 */
export async function moveTree<T>(dev: Device, x: T, options?: TransferOptions): Promise<MoveResult<T>> {
  const typed = options?.typedArrays ?? "keep";
  if (typed !== "keep" && typed !== "tensor") {
    throw new DevicesError(
      "ERR_ARGUMENT",
      `transfer option typedArrays must be "keep" or "tensor", got ${JSON.stringify(typed)}.`,
    );
  }
  const jobs = new Map<unknown, Promise<Tensor>>();
  for (const leaf of fleaves(x, { exclude: isOpaqueLeaf })) {
    if (isTensorLeaf(leaf)) jobs.set(leaf, moveTensor(dev, leaf));
    else if (typed === "tensor" && ArrayBuffer.isView(leaf)) {
      const job = typedArrayToTensor(dev, leaf);
      if (job !== null) jobs.set(leaf, job);
    }
  }
  const keys = [...jobs.keys()];
  const settled = await Promise.allSettled(jobs.values());
  const results = new Map<unknown, Tensor>();
  const created: Tensor[] = [];
  let failure: unknown = null;
  settled.forEach((s, i) => {
    if (s.status === "rejected") failure ??= s.reason;
    else {
      results.set(keys[i], s.value);
      if (s.value !== keys[i]) created.push(s.value);
    }
  });
  if (failure !== null) {
    for (const t of created) t.dispose();
    throw failure;
  }
  let value: unknown;
  try {
    value = fmap(
      (leaf: unknown) => results.get(leaf) ?? leaf,
      x,
      fmapOptions<FmapOptions>({ exclude: isOpaqueLeaf }),
    );
  } catch (e) {
    // The tree cannot be rebuilt (a cycle, a class that refuses reconstruction): the moved tensors would
    // have no owner, so free them (device memory) before rethrowing.
    for (const t of created) t.dispose();
    throw e;
  }
  return { value: value as T, created };
}

/**
 * Moves one tensor to `dev` applying the device's eltype rule; the same object when nothing changes.
 * Converts on whichever side stores the target dtype (before upload when possible: fewer bytes, and a GPU
 * may not store the source dtype, e.g. f64).
 */
async function moveTensor(dev: Device, t: Tensor): Promise<Tensor> {
  const to = dev.device;
  if (to === null) throw new DevicesError("ERR_UNKNOWN_DEVICE", "cannot move a tensor to UnknownDevice().");
  const dtype = targetDType(t.dtype, dev.eltype, dev.isGpu);
  if (t.device === to && t.dtype === dtype) return t;
  const target = await getBackend(to);
  if (!target.dtypes.includes(dtype)) {
    throw new DeviceDTypeError(
      `cannot store a ${t.dtype === dtype ? "" : `${t.dtype}→`}${dtype} tensor on ${String(to)}: it stores ` +
        `${target.dtypes.join(", ")}. Use a device with another eltype, e.g. gpuDevice(id, { eltype: "f32" }).`,
    );
  }
  if (t.device === to) return cast(t, dtype);
  const source = await getBackend(t.device);
  if (dtype !== t.dtype && source.dtypes.includes(dtype)) {
    const converted = cast(t, dtype);
    try {
      return await toDevice(converted, to);
    } finally {
      converted.dispose();
    }
  }
  const moved = await toDevice(t, to);
  if (dtype === t.dtype) return moved;
  try {
    return cast(moved, dtype);
  } finally {
    moved.dispose();
  }
}

function typedArrayToTensor(dev: Device, data: ArrayBufferView): Promise<Tensor> | null {
  const entry = TYPED_DTYPES.find(([Ctor]) => data instanceof Ctor);
  // Uint8Array subclasses (Node's Buffer) are bytes too; DataView and other element types pass through.
  if (entry === undefined) return null;
  const host = tensor(data as Float32Array, [(data as Float32Array).length], { dtype: entry[1] });
  return moveTensor(dev, host).then(
    (moved) => {
      if (moved !== host) host.dispose();
      return moved;
    },
    (e) => {
      host.dispose();
      throw e;
    },
  );
}
