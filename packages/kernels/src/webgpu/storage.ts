// What a WebGPU tensor's storage is: a pooled GPUBuffer plus its element count. Every dtype but f16
// occupies 4 bytes per element on the GPU (WGSL storage has no 8-bit type): bool and u8 live as u32 and
// are packed back into bytes on read. f16 (only on `shader-f16` devices) is stored as 2-byte halves.
import type { DType } from "../dtype.js";

/** The storage of one tensor on a WebGPU device. */
export interface GpuStorage {
  readonly buffer: GPUBuffer;
  /** Element count. */
  readonly length: number;
}

/** The WGSL scalar type a dtype is computed in. */
export type WgslScalar = "f32" | "i32" | "u32" | "f16";

/**
 * The WGSL type of a dtype's elements on the GPU.
 */
export function wgslType(dtype: DType): WgslScalar {
  switch (dtype) {
    case "f32":
      return "f32";
    case "f16":
      return "f16";
    case "i32":
      return "i32";
    case "u32":
    case "u8":
    case "bool":
      return "u32";
    default:
      throw new Error(`[@flux/kernels] webgpu: no WGSL type for ${dtype}`);
  }
}

/** Bytes per element on the GPU of every dtype but f16 (see the file comment). */
const GPU_ELEMENT_BYTES = 4;

/**
 * Bytes a buffer of `length` elements of `dtype` needs on the GPU, rounded up to 4 (copies and
 * `writeBuffer` work in multiples of 4 bytes).
 */
export function storageBytes(length: number, dtype: DType): number {
  return dtype === "f16" ? Math.ceil(length / 2) * 4 : length * GPU_ELEMENT_BYTES;
}

/**
 * The WGSL type a dtype is accumulated and combined in: its own, except f16, which sums in f32 (adding
 * many halves in f16 loses every digit past the 11th bit).
 */
export function accumulatorType(dtype: DType): Exclude<WgslScalar, "f16"> {
  const t = wgslType(dtype);
  return t === "f16" ? "f32" : t;
}
