// Element-type rules of a transfer (MLDataDevices' `eltype` argument; the README's "Element types" table): which dtype a tensor gets on
// its way to a device. Only float tensors are ever converted; integers, bools and scalars are never touched.
import { type DType, isFloat } from "@flux/kernels";

/** A floating-point dtype a device may convert float tensors to. */
export type FloatDType = "f32" | "f16" | "f64";

/**
 * A device's element-type rule: `undefined` = the device's default (GPU: float → f32 with f16 kept;
 * CPU: preserve), `null` = preserve every dtype, a float dtype = convert float tensors to it.
 */
export type Eltype = FloatDType | null | undefined;

const FLOATS: readonly string[] = ["f32", "f16", "f64"];

/**
 * Whether `x` is a valid eltype rule (`undefined`, `null`, `"f32"`, `"f16"` or `"f64"`).
 */
export function isEltype(x: unknown): x is Eltype {
  return x === undefined || x === null || (typeof x === "string" && FLOATS.includes(x));
}

/**
 * The dtype a tensor of `dtype` gets when moved to a device of this `kind` with this `eltype` rule.
 *
 * @example
 * targetDType("f64", undefined, true);  // "f32"  (GPU default)
 * targetDType("f16", undefined, true);  // "f16"  (kept)
 * targetDType("i32", "f64", true);      // "i32"  (integers untouched)
 * targetDType("f64", undefined, false); // "f64"  (CPU default preserves)
 */
export function targetDType(dtype: DType, eltype: Eltype, isGpu: boolean): DType {
  if (!isFloat(dtype) || eltype === null) return dtype;
  if (eltype !== undefined) return eltype;
  if (!isGpu) return dtype;
  return dtype === "f16" ? "f16" : "f32";
}

/** Text of an eltype rule for messages and `toString`. */
export function eltypeText(eltype: Eltype): string {
  return eltype === undefined ? "default" : eltype === null ? "null" : eltype;
}
