// Iteration over a broadcast: the output is walked one LINE (along dim 1, the contiguous one) at a time
// with an odometer over the other dims, so the per-element inner loops stay tight and allocation-free.
import type { Shape } from "../shape.js";

/**
 * Contiguous lines shorter than this are copied by a loop rather than by `set` of a `subarray` view: the view
 * allocated per line costs more than copying the line itself below about 64 elements (an attention head's 32
 * features, say).
 */
export const SHORT_LINE = 64;

/**
 * Merges dim d+1 into dim d wherever every input continues in step (`strides[k][d+1] === strides[k][d] *
 * shape[d]`, which includes a broadcast input staying put, both 0), so lines get as long as the layout
 * allows: a channel bias [1, 1, C, 1] over [W, H, C, N] is walked in W*H-long lines instead of W-long
 * ones. The first stride of each input does not change. Returns the merged shape and strides.
 */
export function coalesce(
  shape: Shape,
  strides: readonly (readonly number[])[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 &&
      strides.every((s, k) => s[d]! === outStrides[k]![last]! * outShape[last]! || shape[d] === 1);
    if (mergeable) {
      outShape[last]! *= shape[d]!;
      continue;
    }
    outShape.push(shape[d]!);
    for (let k = 0; k < strides.length; k++) outStrides[k]!.push(strides[k]![d]!);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `line(offsets, outOffset, n)` for each line of `outShape` along dim 0, where `offsets[k]` is the
 * start of input k's line (reading it with `strides[k][0]` per step). `offsets` is reused between calls.
 * Dims that continue in step are merged first (`coalesce`), so a line may span several of them.
 */
export function forEachLine(
  shape0: Shape,
  strides0: readonly (readonly number[])[],
  line: (offsets: Int32Array, outOffset: number, n: number) => void,
): void {
  const merged = shape0.length > 1 ? coalesce(shape0, strides0) : null;
  const outShape = merged ? merged.shape : shape0;
  const strides = merged ? merged.strides : strides0;
  const rank = outShape.length;
  const k = strides.length;
  const offsets = new Int32Array(k);
  if (rank === 0) {
    line(offsets, 0, 1);
    return;
  }
  const n = outShape[0]!;
  let lines = 1;
  for (let d = 1; d < rank; d++) lines *= outShape[d]!;
  if (n === 0 || lines === 0) return;
  const counter = new Int32Array(rank);
  for (let l = 0, outOffset = 0; l < lines; l++, outOffset += n) {
    line(offsets, outOffset, n);
    // advance the odometer over dims 1..rank-1
    for (let d = 1; d < rank; d++) {
      counter[d]!++;
      for (let s = 0; s < k; s++) offsets[s]! += strides[s]![d]!;
      if (counter[d]! < outShape[d]!) break;
      for (let s = 0; s < k; s++) offsets[s]! -= strides[s]![d]! * outShape[d]!;
      counter[d] = 0;
    }
  }
}

/** Splits a shape around `axis` into `[inner, length, outer]` element counts (column-major). */
export function splitAt(shape: Shape, axis: number): [number, number, number] {
  let inner = 1;
  let outer = 1;
  for (let d = 0; d < axis; d++) inner *= shape[d]!;
  for (let d = axis + 1; d < shape.length; d++) outer *= shape[d]!;
  return [inner, shape[axis] ?? 1, outer];
}
