// Data movement: permute, gather/scatter along an axis, concat, one-hot.
import type { TypedArray } from "../dtype.js";
import { type Shape, stridesOf } from "../shape.js";
import { forEachLine, SHORT_LINE, splitAt } from "./lines.js";

/** Output dim i is input dim `perm[i]`. */
export function permuteInto(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const xs = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const src = perm.map((p) => xs[p]!);
  const s0 = src[0] ?? 0;
  forEachLine(outShape, [src], (off, io, n) => {
    let ix = off[0]!;
    if (s0 === 1 && n >= SHORT_LINE) out.set(x.subarray(ix, ix + n), io);
    else for (let i = 0; i < n; i++, ix += s0) out[io + i] = x[ix]!;
  });
}

/** `out` = x's slices `indices` along `axis`. */
export function gatherInto(
  x: TypedArray,
  shape: Shape,
  axis: number,
  indices: Int32Array,
  out: TypedArray,
): void {
  const [inner, len, outer] = splitAt(shape, axis);
  const m = indices.length;
  // Runs of consecutive indices (a range: `selectdim` with { start, stop }, a recurrent cell's gate chunk)
  // are one contiguous block per outer index: one copy instead of one per index, which matters most when
  // `inner` is small (slicing rows of a matrix copied one element at a time before).
  for (let j = 0; j < m; ) {
    let run = 1;
    while (j + run < m && indices[j + run] === indices[j]! + run) run++;
    const width = inner * run;
    if (width < 16) {
      for (let o = 0; o < outer; o++) {
        const from = inner * (indices[j]! + len * o);
        const to = inner * (j + m * o);
        for (let i = 0; i < width; i++) out[to + i] = x[from + i]!;
      }
    } else {
      for (let o = 0; o < outer; o++) {
        const from = inner * (indices[j]! + len * o);
        out.set(x.subarray(from, from + width), inner * (j + m * o));
      }
    }
    j += run;
  }
}

/** `out` (zeros of `outShape`) gets dy's slices added at `indices` along `axis`. */
export function scatterAddInto(
  dy: TypedArray,
  axis: number,
  indices: Int32Array,
  out: TypedArray,
  outShape: Shape,
): void {
  const [inner, len, outer] = splitAt(outShape, axis);
  const m = indices.length;
  // Consecutive indices are one contiguous block per outer index (see gatherInto). Repeated indices still
  // add up, each in its own run.
  for (let j = 0; j < m; ) {
    let run = 1;
    while (j + run < m && indices[j + run] === indices[j]! + run) run++;
    const width = inner * run;
    for (let o = 0; o < outer; o++) {
      const to = inner * (indices[j]! + len * o);
      const from = inner * (j + m * o);
      for (let i = 0; i < width; i++) out[to + i]! += dy[from + i]!;
    }
    j += run;
  }
}

/** Concatenates column-major blocks along `axis`. */
export function concatInto(
  xs: readonly { data: TypedArray; shape: Shape }[],
  axis: number,
  out: TypedArray,
  outShape: Shape,
): void {
  const [inner, , outer] = splitAt(outShape, axis);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const block = inner * (x.shape[axis] ?? 1);
      out.set(x.data.subarray(block * o, block * (o + 1)), at);
      at += block;
    }
  }
}

/** One-hot columns (`[nclasses, n]`) from 0-based class indices; -1 leaves a zero column. */
export function onehotInto(indices: Int32Array, nclasses: number, out: TypedArray): void {
  out.fill(0);
  for (let j = 0; j < indices.length; j++) {
    const c = indices[j]!;
    if (c >= 0) out[c + nclasses * j] = 1;
  }
}
