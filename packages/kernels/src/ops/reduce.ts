// Reductions over Julia-style 1-based `dims`. With `dims` omitted they reduce everything to a 0-d tensor
// (Julia returns a number; read it with `await t.item()`); with `dims` the reduced dims stay as size 1.
import { record, releaseTemp } from "../autodiff/tape.js";
import type { ArgReduceOp, ReduceOp } from "../opNames.js";
import type { Backend } from "../backend.js";
import { type Shape, normalizeDims, reducedShape, sizeOf } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { ArgumentError } from "../errors.js";
import { backendOf, castRaw, requireFloat, reshapeRaw, scalarOn, wrap } from "./core.js";
import { binaryRaw, maskRaw, mul } from "./elementwise.js";
import { checkOpOptions } from "./options.js";

const REDUCE_KEYS = ["dims"] as const;

/** Options of the reductions. */
export interface ReduceOptions {
  /** 1-based dims to reduce (Julia `dims`); all dims when omitted. */
  dims?: number | readonly number[];
}

function axesOf(x: Tensor, opts: ReduceOptions | undefined, op: string): { axes: number[]; all: boolean } {
  checkOpOptions(op, opts, REDUCE_KEYS, "{ dims: 1 }");
  if (opts?.dims === undefined) return { axes: x.shape.map((_, i) => i), all: true };
  return { axes: normalizeDims(opts.dims, x.rank, op), all: false };
}

function reduceOp(op: ReduceOp, x: Tensor, opts: ReduceOptions | undefined): Tensor {
  const b = backendOf(op, x);
  const { axes, all } = axesOf(x, opts, op);
  // Julia: sum of Bools counts (an Int); we count in i32.
  const src = x.dtype === "bool" || x.dtype === "u8" ? castRaw(x, "i32", op) : x;
  const kept = reducedShape(x.shape, axes);
  if (op === "max" || op === "min") refuseEmpty(op, x, kept, opts?.dims);
  const storage = axes.length === 0 ? b.cast(src.view(op), src.dtype) : b.reduce(op, src.view(op), axes);
  const full = wrap(b, storage, kept, src.dtype);
  if (src !== x) src.dispose();
  const out = all ? reshapeRaw(full, [], op) : full;
  if (out !== full) full.dispose();
  record([x], out, (g) => {
    const gk = reshapeRaw(g, kept, op);
    const gx = wrap(b, b.expand(gk.view(op), x.shape), x.shape, x.dtype);
    if (op === "sum") return [gx];
    if (op === "prod") return [prodVjp(b, x, gx, axes, kept)];
    const y = reshapeRaw(out, kept, op);
    // max/min: the cotangent is shared equally by the elements that attain the extremum
    const hit = binaryRaw("eq", x, y);
    const count = wrap(b, b.reduce("sum", castRaw(hit, x.dtype, op).view(op), axes), kept, x.dtype);
    return [binaryRaw("div", maskRaw(gx, hit), count)];
  });
  return out;
}

/**
 * prod's cotangent `g .* (product of the other elements)`, ChainRules' `∇prod`: `g * prod / x` where a slice
 * holds no zero; where it holds exactly one, the zero's entry gets the product of the rest and the others 0;
 * with two or more zeros every entry is 0 (`prod / x` would give NaN at every zero).
 */
function prodVjp(b: Backend, x: Tensor, gx: Tensor, axes: readonly number[], kept: Shape): Tensor {
  const op = "prod";
  if (axes.length === 0) return gx; // dims beyond the rank: prod is the identity
  const zero = scalarOn(b, 0, x.dtype);
  const one = scalarOn(b, 1, x.dtype);
  const isZero = binaryRaw("eq", x, zero);
  // x with its zeros replaced by 1: its product over the slice is the product of the nonzero elements
  const nonzero = wrap(b, b.where(isZero.view(op), one.view(op), x.view(op), x.shape), x.shape, x.dtype);
  const prodNonzero = wrap(b, b.reduce("prod", nonzero.view(op), axes), kept, x.dtype);
  const zeroFlags = castRaw(isZero, x.dtype, op);
  const zeroCount = wrap(b, b.reduce("sum", zeroFlags.view(op), axes), kept, x.dtype);
  // the other elements of the slice hold no zero: no zero at all, or this element is the only one
  const othersNonzero = binaryRaw("eq", binaryRaw("sub", zeroCount, zeroFlags), zero);
  return maskRaw(binaryRaw("div", binaryRaw("mul", gx, prodNonzero), nonzero), othersNonzero);
}

/**
 * Sum over `dims` (1-based, Julia's `sum(x; dims)`), or of everything (a 0-d tensor).
 *
 * @example
 * sum(tensor([1, 2, 3, 4], [2, 2]), { dims: 1 }); // 1×2: [3 7]
 * await sum(ones([3])).item(); // 3
 */
export function sum(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp("sum", x, opts);
}

/** Product over `dims` (gradient: the product of the other elements, also where x holds zeros). @example prod(tensor([2, 3], [2])); // 6 */
export function prod(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp("prod", x, opts);
}

/**
 * Maximum over `dims` (Julia's `maximum(x; dims)`); ties share the gradient equally.
 *
 * @example
 * max(tensor([1, 5, 3, 2], [2, 2]), { dims: 1 }); // 1×2: [5 3]
 */
export function max(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp("max", x, opts);
}

/** Minimum over `dims` (Julia's `minimum(x; dims)`). @example min(tensor([1, 5], [2])); // 1 */
export function min(x: Tensor, opts?: ReduceOptions): Tensor {
  return reduceOp("min", x, opts);
}

/**
 * Mean over `dims` (Statistics' `mean(x; dims)`), or of everything. Float tensors only.
 *
 * @example
 * mean(tensor([1, 2, 3, 4], [2, 2]), { dims: 2 }); // 2×1: [2; 3]
 */
export function mean(x: Tensor, opts?: ReduceOptions): Tensor {
  const src = x.dtype === "f32" || x.dtype === "f64" || x.dtype === "f16" ? x : castRaw(x, "f32", "mean");
  requireFloat("mean", src.dtype);
  const { axes } = axesOf(src, opts, "mean");
  let count = 1;
  for (const a of axes) count *= src.shape[a]!;
  const s = sum(src, opts);
  const scale = scalarOn(src.backend, 1 / count, src.dtype);
  const out = mul(s, scale); // recorded: the VJP is g / count
  releaseTemp(scale);
  releaseTemp(s);
  if (src !== x) releaseTemp(src);
  return out;
}

/**
 * max/min/argmax/argmin have no value over an empty slice (Julia: "reducing over an empty collection is not
 * allowed"): refuse when `x` is empty but the result would not be, instead of returning -Inf or index 0.
 */
function refuseEmpty(op: string, x: Tensor, kept: Shape, dims: unknown): void {
  if (x.size !== 0 || sizeOf(kept) === 0) return;
  const where = dims === undefined ? "all of x" : `dims ${JSON.stringify(dims)}`;
  throw new ArgumentError(
    `${op}: x is ${x.shape.join("×") || "0-d"} and ${where} holds no elements, so there is no extremum to ` +
      "return (Julia: reducing over an empty collection is not allowed). Check the shape, or reduce over dims that are not empty.",
  );
}

function argReduce(op: ArgReduceOp, x: Tensor, dims: number | undefined): Tensor {
  const b = backendOf(op, x);
  if (dims === undefined) {
    refuseEmpty(op, x, [], dims);
    const flat = reshapeRaw(x, [x.size], op);
    const out = wrap(b, b.argReduce(op, flat.view(op), 0), [], "i32");
    if (flat !== x) flat.dispose();
    return out;
  }
  if (!Number.isInteger(dims) || dims < 1)
    throw new ArgumentError(`${op}: dims is one 1-based dim, got ${dims}.`);
  if (dims > x.rank) return wrap(b, b.fill(x.size, 0, "i32"), x.shape, "i32");
  const axis = dims - 1;
  refuseEmpty(op, x, reducedShape(x.shape, [axis]), dims);
  return wrap(b, b.argReduce(op, x.view(op), axis), reducedShape(x.shape, [axis]), "i32");
}

/**
 * 0-BASED index of the maximum along one 1-based `dims` (kept as size 1), dtype i32; without `dims`, the
 * 0-based linear (column-major) index of the overall maximum as a 0-d tensor. First index on ties.
 *
 * Indices are 0-based (JavaScript's convention) while `dims` are 1-based (Julia's): see the README.
 *
 * @example
 * argmax(tensor([1, 5, 3, 2], [2, 2]), 1); // 1×2 i32: [1 0]
 */
export function argmax(x: Tensor, dims?: number): Tensor {
  return argReduce("argmax", x, dims);
}

/** 0-based index of the minimum along `dims` (see `argmax`). @example argmin(tensor([3, 1], [2])); // 1 */
export function argmin(x: Tensor, dims?: number): Tensor {
  return argReduce("argmin", x, dims);
}
