// Reductions, index reductions and softmax. Accumulation runs in f64 (then rounds once to the output
// dtype), which makes f32 sums accurate and lets max/min start from ±Infinity for every dtype.
import type { TypedArray } from "../dtype.js";
import type { ArgReduceOp, ReduceOp } from "../opNames.js";
import { reducedShape, type Shape, stridesOf } from "../shape.js";
import { forEachLine, splitAt } from "./lines.js";
import { softmaxLinesSimd } from "./wasm/activationSimd.js";

const INIT: Record<ReduceOp, number> = { sum: 0, prod: 1, max: -Infinity, min: Infinity };

/** Reduces `x` over `axes` into `out` (the reduced shape, axes kept as 1). */
export function reduceInto(
  op: ReduceOp,
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  out: TypedArray,
): void {
  const acc = new Float64Array(out.length).fill(INIT[op]);
  if (axes.length === shape.length || out.length === 1) {
    acc[0] = reduceLine(op, x, 0, 1, x.length, INIT[op]);
  } else if (reducesTrailing(shape, axes)) {
    // Only trailing axes (a bias gradient's sum over the batch): x is consecutive copies of the output's
    // layout, each added in one loop (no per-line callback over short columns).
    const m = out.length;
    for (let at = 0; at < x.length; at += m) accumulateLine(op, x, at, acc, 0, m);
  } else {
    // Read x line by line; the output offset of each input element uses strides that are 0 on reduced axes.
    const rs = reducedShape(shape, axes);
    const os = stridesOf(rs).map((s, d) => (axes.includes(d) ? 0 : s));
    const xs = stridesOf(shape);
    const o0 = os[0]!;
    forEachLine(shape, [xs, os], (off, io, n) => {
      const oo = off[1]!;
      if (o0 === 0) acc[oo] = reduceLine(op, x, io, 1, n, acc[oo]!);
      else accumulateLine(op, x, io, acc, oo, n);
    });
  }
  for (let i = 0; i < out.length; i++) out[i] = acc[i]!;
}

/** True when `axes` (sorted or not) are exactly the last ones of `shape`, size-1 axes aside. */
function reducesTrailing(shape: Shape, axes: readonly number[]): boolean {
  const first = Math.min(...axes);
  for (let d = first; d < shape.length; d++) if (!axes.includes(d) && shape[d] !== 1) return false;
  return true;
}

function reduceLine(
  op: ReduceOp,
  x: TypedArray,
  start: number,
  step: number,
  n: number,
  init: number,
): number {
  let r = init;
  const end = start + n * step;
  switch (op) {
    case "sum":
      return step === 1 ? r + sumRun(x, start, end) : sumStrided(x, start, end, step, r);
    case "prod":
      for (let i = start; i < end; i += step) r *= x[i]!;
      return r;
    case "max":
      for (let i = start; i < end; i += step) r = Math.max(r, x[i]!);
      return r;
    case "min":
      for (let i = start; i < end; i += step) r = Math.min(r, x[i]!);
      return r;
  }
}

function sumStrided(x: TypedArray, start: number, end: number, step: number, r: number): number {
  for (let i = start; i < end; i += step) r += x[i]!;
  return r;
}

/**
 * The f64 sum of x[start..end): four independent accumulators, so the adds overlap instead of waiting on
 * each other (one chain was bound by the add's latency: a conv layer's bias gradient, sums over runs of
 * a few hundred elements, was a twentieth of a LeNet training step). In f64 the grouping changes the f32
 * result only in the rarest of ties.
 */
function sumRun(x: TypedArray, start: number, end: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = start;
  for (; i + 3 < end; i += 4) {
    s0 += x[i]!;
    s1 += x[i + 1]!;
    s2 += x[i + 2]!;
    s3 += x[i + 3]!;
  }
  for (; i < end; i++) s0 += x[i]!;
  return s0 + s1 + (s2 + s3);
}

function accumulateLine(
  op: ReduceOp,
  x: TypedArray,
  ix: number,
  acc: Float64Array,
  io: number,
  n: number,
): void {
  switch (op) {
    case "sum":
      for (let i = 0; i < n; i++) acc[io + i]! += x[ix + i]!;
      return;
    case "prod":
      for (let i = 0; i < n; i++) acc[io + i]! *= x[ix + i]!;
      return;
    case "max":
      for (let i = 0; i < n; i++) acc[io + i] = Math.max(acc[io + i]!, x[ix + i]!);
      return;
    case "min":
      for (let i = 0; i < n; i++) acc[io + i] = Math.min(acc[io + i]!, x[ix + i]!);
      return;
  }
}

/** 0-based index of the first max (min) along `axis`, written into an Int32Array of the reduced shape. */
export function argReduceInto(
  op: ArgReduceOp,
  x: TypedArray,
  shape: Shape,
  axis: number,
  out: Int32Array,
): void {
  const [inner, len, outer] = splitAt(shape, axis);
  const sign = op === "argmax" ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = i + inner * len * o;
      let best = 0;
      let bestV = sign * x[base]!;
      for (let l = 1; l < len; l++) {
        const v = sign * x[base + inner * l]!;
        // NaN wins (Julia's argmax treats NaN as the maximum); ties keep the first index.
        if (v > bestV || (Number.isNaN(v) && !Number.isNaN(bestV))) {
          bestV = v;
          best = l;
        }
      }
      out[i + inner * o] = best;
    }
  }
}

/**
 * Softmax (or log-softmax) along `axis`, max-subtracted for stability. The exponentials are computed once
 * per element and kept in f64 until the single rounding into `out` (Math.exp is most of the cost: attention
 * runs this over every score). NaN anywhere in a line makes the whole line NaN through the sum, so the max
 * can use a plain comparison (faster than Math.max) without changing any result; masked -Infinity entries
 * give exact zeros, and a line of nothing but -Infinity is NaN (as NNlib). A line holding +Infinity (and no
 * NaN) is NNlib's limit: weight 1 shared equally by the +Infinity entries and 0 elsewhere (log-softmax:
 * `-log(count)` and -Infinity).
 */
export function softmaxInto(x: TypedArray, shape: Shape, axis: number, log: boolean, out: TypedArray): void {
  const [inner, len, outer] = splitAt(shape, axis);
  // Contiguous f32 lines (softmax over dim 1, attention's case): wasm SIMD with a vectorised exp. A line
  // with +Infinity comes out NaN there (so does one with NaN, or all -Infinity): those are redone below.
  if (inner === 1 && !log && softmaxLinesSimd(x, len, out)) {
    for (let base = 0; base < out.length; base += len) {
      if (Number.isNaN(out[base]!)) softmaxLine(x, base, base + len, 1, false, out, new Float64Array(len));
    }
    return;
  }
  const e = new Float64Array(len);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = i + inner * len * o;
      softmaxLine(x, base, base + inner * len, inner, log, out, e);
    }
  }
}

/** One line of `softmaxInto`: the elements `base, base + inner, ...` before `end`; `e` is scratch. */
function softmaxLine(
  x: TypedArray,
  base: number,
  end: number,
  inner: number,
  log: boolean,
  out: TypedArray,
  e: Float64Array,
): void {
  let m = -Infinity;
  for (let j = base; j < end; j += inner) {
    const v = x[j]!;
    // biome-ignore lint/complexity/useMathMinMax: the comparison is faster than Math.max here (see above)
    m = v > m ? v : m;
  }
  if (m === Infinity) {
    // NNlib's softmax!/logsoftmax! for a max of +Inf: 1 at each +Inf (then normalised), 0 elsewhere.
    let count = 0;
    let nan = false;
    for (let j = base; j < end; j += inner) {
      const v = x[j]!;
      if (v === Infinity) count++;
      else if (Number.isNaN(v)) nan = true;
    }
    const hit = nan ? Number.NaN : log ? 0 - Math.log(count) : 1 / count; // +0 for one +Inf, as NNlib's 0 - log(1)
    const miss = nan ? Number.NaN : log ? -Infinity : 0;
    for (let j = base; j < end; j += inner) out[j] = x[j] === Infinity ? hit : miss;
    return;
  }
  let s = 0;
  if (log) {
    for (let j = base; j < end; j += inner) s += Math.exp(x[j]! - m);
    const ls = Math.log(s) + m;
    for (let j = base; j < end; j += inner) out[j] = x[j]! - ls;
  } else {
    for (let j = base, k = 0; j < end; j += inner, k++) {
      const v = Math.exp(x[j]! - m);
      e[k] = v;
      s += v;
    }
    const inv = 1 / s;
    for (let j = base, k = 0; j < end; j += inner, k++) out[j] = e[k]! * inv;
  }
}

/** The VJP of softmax / log-softmax from the forward output `y`. */
export function softmaxGradInto(
  y: TypedArray,
  dy: TypedArray,
  shape: Shape,
  axis: number,
  log: boolean,
  out: TypedArray,
): void {
  const [inner, len, outer] = splitAt(shape, axis);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = i + inner * len * o;
      const end = base + inner * len;
      let s = 0;
      if (log) {
        for (let j = base; j < end; j += inner) s += dy[j]!;
        for (let j = base; j < end; j += inner) out[j] = dy[j]! - Math.exp(y[j]!) * s;
      } else {
        for (let j = base; j < end; j += inner) s += dy[j]! * y[j]!;
        for (let j = base; j < end; j += inner) out[j] = y[j]! * (dy[j]! - s);
      }
    }
  }
}
