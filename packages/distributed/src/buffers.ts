// The typed arrays a collective accepts, and the dtype names shared with @flux/kernels.
import { DistributedArgumentError } from "./errors.js";

/** A typed array a collective can carry (the @flux/kernels element types that live on the CPU; bool travels as u8). */
export type CollectiveArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

/** Element type names, as @flux/kernels spells them. */
export type CollectiveDtype = "f32" | "f64" | "i32" | "u32" | "u8";

// The code is what travels in the safety header, so it must be stable and identical on every rank.
const DTYPES: readonly { dtype: CollectiveDtype; code: number; ctor: new (n: number) => CollectiveArray }[] =
  [
    { dtype: "f32", code: 1, ctor: Float32Array },
    { dtype: "f64", code: 2, ctor: Float64Array },
    { dtype: "i32", code: 3, ctor: Int32Array },
    { dtype: "u32", code: 4, ctor: Uint32Array },
    { dtype: "u8", code: 5, ctor: Uint8Array },
  ];

/** The dtype of a typed array a collective can carry, or `null` (e.g. BigInt64Array, a plain array). */
export function tryDtypeOf(x: unknown): CollectiveDtype | null {
  for (const d of DTYPES) if (x instanceof d.ctor) return d.dtype;
  // instanceof fails across realms (a worker's array handed over by structured clone keeps its realm's class).
  return BY_TAG[Object.prototype.toString.call(x)] ?? null;
}

const BY_TAG: Record<string, CollectiveDtype> = {
  "[object Float32Array]": "f32",
  "[object Float64Array]": "f64",
  "[object Int32Array]": "i32",
  "[object Uint32Array]": "u32",
  "[object Uint8Array]": "u8",
};

/** The dtype of a typed array, or a clear error for one we cannot reduce (e.g. BigInt64Array). */
export function dtypeOf(x: unknown): CollectiveDtype {
  const found = tryDtypeOf(x);
  if (found) return found;
  throw new DistributedArgumentError(
    `a collective got ${Object.prototype.toString.call(x)} but carries only Float32Array, Float64Array, ` +
      "Int32Array, Uint32Array and Uint8Array (or tensors of those dtypes). Convert the buffer first.",
  );
}

/** True for the integer dtypes, where `"avg"` would truncate. */
export function isIntegerDtype(dtype: CollectiveDtype): boolean {
  return dtype !== "f32" && dtype !== "f64";
}

/** The stable numeric code of a dtype (used in the cross-rank safety header). */
export function dtypeCode(dtype: CollectiveDtype): number {
  return DTYPES.find((d) => d.dtype === dtype)!.code;
}

/** The dtype name of a numeric code, or `"?"` for a code we never send. */
export function dtypeFromCode(code: number): string {
  return DTYPES.find((d) => d.code === code)?.dtype ?? `?${code}`;
}

/** Allocates a zeroed typed array of a dtype. */
export function allocate(dtype: CollectiveDtype, length: number): CollectiveArray {
  return new (DTYPES.find((d) => d.dtype === dtype)!.ctor)(length);
}

/** True for the typed arrays a collective accepts. */
export function isCollectiveArray(x: unknown): x is CollectiveArray {
  return ArrayBuffer.isView(x) && tryDtypeOf(x) !== null;
}
