// What counts as a data container, and of which kind. One place decides, so numobs, getobs, printing and
// the device iterator agree.
import { isTensor } from "@flux/kernels";

/**
 * The observation interface a custom container implements (MLUtils' `numobs` / `getobs` methods).
 *
 * `getobs(i)` receives one 0-based index. A container that can slice a batch faster than one observation
 * at a time may add `getobsBatch(indices)`; without it a batch is the array of single observations (as
 * MLUtils' fallback). `DistributedDataContainer` from @flux/distributed has this shape.
 *
 * @example
 * const squares: ObsContainer<number> = { numobs: () => 10, getobs: (i) => i * i };
 */
export interface ObsContainer<O = unknown> {
  numobs(): number;
  getobs(i: number): O;
  getobsBatch?(indices: readonly number[]): unknown;
}

/** A typed array (not a DataView): one observation per element. */
export type TypedArrayLike =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** @internal The kinds of data container, decided by `containerKind`. */
export type ContainerKind = "tensor" | "typed" | "custom" | "tuple" | "named" | "vector";

/** @internal Whether `x` is a typed array (not a DataView). */
export function isTypedArray(x: unknown): x is TypedArrayLike {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** @internal Whether `x` has callable `numobs()` and `getobs(i)` methods. */
export function isObsContainer(x: unknown): x is ObsContainer {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as ObsContainer).numobs === "function" &&
    typeof (x as ObsContainer).getobs === "function"
  );
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * @internal The kind of container `x` is, or null when it is none.
 *
 * A JS array is a TUPLE (Julia's `(X, Y)`) when it is non-empty and every element is itself a container;
 * otherwise it is a VECTOR whose elements are the observations (Julia's `Vector`). A plain object is a
 * NAMED tuple when every value is a container.
 */
export function containerKind(x: unknown): ContainerKind | null {
  if (isTensor(x)) return "tensor";
  if (isTypedArray(x)) return "typed";
  if (isObsContainer(x)) return "custom";
  if (Array.isArray(x)) {
    return x.length > 0 && x.every((e) => containerKind(e) !== null) ? "tuple" : "vector";
  }
  if (isPlainObject(x)) {
    const values = Object.values(x);
    return values.length > 0 && values.every((v) => containerKind(v) !== null) ? "named" : null;
  }
  return null;
}
