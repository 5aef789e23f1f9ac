// Reductions along axes: sum/prod/max/min, argmax/argmin, softmax and its gradient.
import type { ArgReduceOp, ReduceOp } from "../../opNames.js";
import { sizeOf, stridesOf } from "../../shape.js";
import { grid } from "../executor.js";
import { accumulatorType, type GpuStorage, wgslType } from "../storage.js";
import { coalesce, MAX_RANK, packDims, prodRange } from "../strides.js";
import { type KernelContext, noF16, type V } from "./context.js";
import { dispatch1d, WG, WG_VARIANT } from "./dispatch.js";
import { reduceInit } from "./words.js";

/**
 * `op` over `axes` of `x`, the reduced axes kept with length 1.
 *
 * @example
 * reduce(ctx, "sum", x, [0]);
 */
export function reduce(ctx: KernelContext, op: ReduceOp, x: V, axes: readonly number[]): GpuStorage {
  const shape = x.shape;
  const xs = stridesOf(shape);
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const redShape = shape.map((d, i) => (axes.includes(i) ? d : 1));
  const nOut = sizeOf(keptShape);
  const nRed = sizeOf(redShape);
  const out = ctx.alloc(nOut, x.dtype);
  if (nOut === 0) return out;
  const kept = coalesce(keptShape, [xs]);
  const red = coalesce(redShape, [xs]);
  const words = new Uint32Array(8 + 4 * MAX_RANK);
  words.set([nOut, nRed, ["sum", "prod", "max", "min"].indexOf(op), reduceInit(op, x.dtype)]);
  words.set([kept.shape.length, red.shape.length], 4);
  packDims(words, 8, kept.shape);
  packDims(words, 8 + MAX_RANK, kept.strides[0]!);
  packDims(words, 8 + 2 * MAX_RANK, red.shape);
  packDims(words, 8 + 3 * MAX_RANK, red.strides[0]!);
  const variant = { dtype: wgslType(x.dtype), acc: accumulatorType(x.dtype), wg: WG_VARIANT };
  const buffers = [x.storage.buffer, out.buffer];
  // Few reduced elements per output: one invocation each beats a mostly idle workgroup each.
  if (nRed <= 4 * WG && nOut >= WG) dispatch1d(ctx, "reduce_small", variant, words, buffers, nOut);
  else ctx.exec.dispatch("reduce", variant, words.buffer, buffers, grid(nOut));
  return out;
}

/**
 * The 0-based index of the max (or min) along `axis`, as i32 (first one on ties).
 *
 * @example
 * argReduce(ctx, "argmax", x, 0);
 */
export function argReduce(ctx: KernelContext, op: ArgReduceOp, x: V, axis: number): GpuStorage {
  const len = x.shape[axis]!;
  const inner = prodRange(x.shape, 0, axis);
  const nLines = sizeOf(x.shape) / (len || 1);
  noF16(ctx, op, x.dtype);
  const out = ctx.alloc(nLines);
  if (nLines === 0) return out;
  const init = reduceInit(op === "argmax" ? "lowest" : "highest", x.dtype);
  ctx.exec.dispatch(
    "arg_reduce",
    { dtype: wgslType(x.dtype), wg: WG_VARIANT },
    new Uint32Array([nLines, len, inner, op === "argmax" ? 0 : 1, init, 0, 0, 0]).buffer,
    [x.storage.buffer, out.buffer],
    grid(nLines),
  );
  return out;
}

/**
 * (Log-)softmax along `axis`.
 *
 * @example
 * softmax(ctx, x, 0, false);
 */
export function softmax(ctx: KernelContext, x: V, axis: number, log: boolean): GpuStorage {
  const n = x.storage.length;
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  const len = x.shape[axis]!;
  const nLines = n / len;
  ctx.exec.dispatch(
    "softmax",
    { dtype: wgslType(x.dtype), wg: WG_VARIANT },
    new Uint32Array([nLines, len, prodRange(x.shape, 0, axis), log ? 1 : 0]).buffer,
    [x.storage.buffer, out.buffer],
    grid(nLines),
  );
  return out;
}

/**
 * The gradient of (log-)softmax along `axis`, from its output `y` and `dy`.
 *
 * @example
 * softmaxGrad(ctx, y, dy, 0, false);
 */
export function softmaxGrad(ctx: KernelContext, y: V, dy: V, axis: number, log: boolean): GpuStorage {
  const n = y.storage.length;
  const out = ctx.alloc(n, y.dtype);
  if (n === 0) return out;
  const len = y.shape[axis]!;
  const nLines = n / len;
  ctx.exec.dispatch(
    "softmax_grad",
    { dtype: wgslType(y.dtype), wg: WG_VARIANT },
    new Uint32Array([nLines, len, prodRange(y.shape, 0, axis), log ? 1 : 0]).buffer,
    [y.storage.buffer, dy.storage.buffer, out.buffer],
    grid(nLines),
  );
  return out;
}
