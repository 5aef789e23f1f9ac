import type { DType } from "@flux/kernels";

/** safetensors dtype names ↔ ours. */
export const TO_FILE_DTYPE: Readonly<Record<DType, string>> = {
  f32: "F32",
  f64: "F64",
  f16: "F16",
  i32: "I32",
  u32: "U32",
  u8: "U8",
  bool: "BOOL",
};

/** Element sizes of every dtype the safetensors format defines (we load the ones we have). */
const FILE_DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/**
 * @internal The element size of a file dtype, or undefined for a name the format does not define. Own
 * keys only: `"constructor"` or `"__proto__"` are unknown dtypes, not Object.prototype's members.
 */
export function fileDTypeBytes(name: string): number | undefined {
  return Object.hasOwn(FILE_DTYPE_BYTES, name) ? FILE_DTYPE_BYTES[name] : undefined;
}

/** @internal Our dtype for a file dtype, or undefined when we have none. */
export function fromFileDType(name: string): DType | undefined {
  for (const [ours, file] of Object.entries(TO_FILE_DTYPE)) if (file === name) return ours as DType;
  return undefined;
}
