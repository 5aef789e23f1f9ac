// How device code classifies leaves: tensors (moved), host values that are device-agnostic (passed through),
// and objects it cannot place. Kept in one place so transfers and getDevice agree.
import { isTensor, Rng, type Tensor } from "@flux/kernels";

/**
 * Whether a value must be treated as a leaf by device walks although @flux/functors would walk into it.
 * Kernels' `Rng` keeps its state in `#private` fields, which a field-by-field rebuild would lose
 * (MLDataDevices likewise hands RNGs back unchanged).
 */
export function isOpaqueLeaf(x: unknown): boolean {
  return x instanceof Rng;
}

/** Whether `x` is a tensor (of any installed copy of @flux/kernels). */
export function isTensorLeaf(x: unknown): x is Tensor {
  return isTensor(x);
}

/**
 * Whether a leaf lives on no device in particular: primitives, typed arrays and buffers (host memory, which
 * transfers pass through by default), and RNGs. MLDataDevices' `get_device` returns `nothing` for these.
 */
export function isDeviceAgnostic(x: unknown): boolean {
  if (x === null || (typeof x !== "object" && typeof x !== "function")) return true;
  return ArrayBuffer.isView(x) || x instanceof ArrayBuffer || isOpaqueLeaf(x);
}
