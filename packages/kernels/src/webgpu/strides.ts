// Index-space helpers for the strided kernels: dims are merged where every operand walks them
// contiguously (so most broadcasts and reductions become rank 1 or 2 on the GPU), then packed into
// uniforms as two vec4<u32> per list (rank <= 8).
import { ArgumentError } from "../errors.js";
import type { Shape } from "../shape.js";

/** The most dims a strided kernel walks (two vec4<u32> in the uniform block). */
export const MAX_RANK = 8;

/** A shape and, per operand, its element strides over that shape. */
export interface StridedSpace {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Drops size-1 dims and merges dim d+1 into d wherever every operand has `stride[d+1] = stride[d]·shape[d]`.
 */
export function coalesce(shape: Shape, strides: readonly (readonly number[])[]): StridedSpace {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => s[d] === outStrides[k]![last]! * outShape[last]!);
    if (mergeable) outShape[last]! *= n;
    else {
      outShape.push(n);
      for (let k = 0; k < strides.length; k++) outStrides[k]!.push(strides[k]![d]!);
    }
  }
  if (outShape.length > MAX_RANK) {
    throw new ArgumentError(
      `webgpu: this op walks ${outShape.length} non-mergeable dims; the WebGPU kernels handle up to ${MAX_RANK}. ` +
        "Reshape to fewer dims or run it on the CPU.",
    );
  }
  return { shape: outShape, strides: outStrides };
}

/** Writes up to 8 values into `words` from `at` (8 slots, the rest zero). */
export function packDims(words: Uint32Array, at: number, values: readonly number[]): void {
  for (let i = 0; i < MAX_RANK; i++) words[at + i] = values[i] ?? 0;
}

/** Product of dims `from..to-1`. */
export function prodRange(shape: Shape, from: number, to: number): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= shape[i]!;
  return p;
}
