// WebGPU's flag values (from the spec). Used instead of the GPUBufferUsage/GPUMapMode globals, which Dawn
// on Node only defines if its `globals` are copied onto globalThis, something a library must not do.

/** GPUBufferUsage flags. */
export const BufferUsage = {
  MAP_READ: 0x1,
  MAP_WRITE: 0x2,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
} as const;

/** GPUMapMode flags. */
export const MapMode = { READ: 0x1, WRITE: 0x2 } as const;
