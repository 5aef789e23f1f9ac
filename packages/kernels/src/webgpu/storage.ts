// What a WebGPU tensor's storage is: a pooled GPUBuffer plus its element count. Every dtype occupies 4
// bytes per element on the GPU (WGSL storage has no 8-bit type): bool and u8 live as u32 and are packed
// back into bytes on read.
import type { DType } from "../dtype.js";

/** The storage of one tensor on a WebGPU device. */
export interface GpuStorage {
  readonly buffer: GPUBuffer;
  /** Element count. */
  readonly length: number;
}

/** The WGSL scalar type a dtype is computed in. */
export type WgslScalar = "f32" | "i32" | "u32";

/**
 * The WGSL type of a dtype's elements on the GPU.
 *
 * @example
 * wgslType("bool"); // "u32"
 */
export function wgslType(dtype: DType): WgslScalar {
  switch (dtype) {
    case "f32":
      return "f32";
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

/** Bytes per element on the GPU (always 4; see the file comment). */
export const GPU_ELEMENT_BYTES = 4;
