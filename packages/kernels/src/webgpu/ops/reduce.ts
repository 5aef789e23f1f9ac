// Reductions along axes: sum/prod/max/min, argmax/argmin, softmax and its gradient, layer normalisation and
// its gradient.
import type { ArgReduceOp, ReduceOp } from "../../opNames.js";
import { sizeOf, stridesOf } from "../../shape.js";
import { grid } from "../executor.js";
import type { ShaderUniforms } from "../generated/shaders.js";
import { accumulatorType, type GpuStorage, wgslType } from "../storage.js";
import { coalesce, prodRange } from "../strides.js";
import { type KernelContext, noF16, type V } from "./context.js";
import { dispatch1d, WG, WG_VARIANT } from "./dispatch.js";
import { argReduceCode, reduceCode, reduceInit } from "./words.js";

/**
 * `op` over `axes` of `x`, the reduced axes kept with length 1.
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
  const uniforms = {
    nOut,
    nRed,
    op: reduceCode(op),
    init: reduceInit(op, x.dtype),
    keptRank: kept.shape.length,
    redRank: red.shape.length,
    keptShape: kept.shape,
    keptStrides: kept.strides[0]!,
    redShape: red.shape,
    redStrides: red.strides[0]!,
  };
  const variant = { dtype: wgslType(x.dtype), acc: accumulatorType(x.dtype), wg: WG_VARIANT };
  const buffers = [x.storage.buffer, out.buffer];
  // Few reduced elements per output: one invocation each beats a mostly idle workgroup each.
  if (nRed <= 4 * WG && nOut >= WG) dispatch1d(ctx, "reduce_small", variant, uniforms, buffers, nOut);
  else ctx.exec.dispatch("reduce", variant, uniforms, buffers, grid(nOut));
  return out;
}

/**
 * The 0-based index of the max (or min) along `axis`, as i32 (first one on ties).
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
    { nLines, len, inner, op: argReduceCode(op), init },
    [x.storage.buffer, out.buffer],
    grid(nLines),
  );
  return out;
}

/** The kernels that give each line of `len` elements a workgroup, its output the input's size and dtype. */
type LineKernel = "softmax" | "softmax_grad" | "layernorm" | "layernorm_grad";

/**
 * Records `name` over the lines of `len` elements of `inputs` (all the size and dtype of the first) and
 * returns its output; `uniforms` are the kernel's beyond the line count.
 */
function perLine<N extends LineKernel>(
  ctx: KernelContext,
  name: N,
  inputs: readonly V[],
  len: number,
  uniforms: Omit<ShaderUniforms[N], "nLines">,
): GpuStorage {
  const x = inputs[0]!;
  const n = x.storage.length;
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  const nLines = n / len;
  ctx.exec.dispatch(
    name,
    { dtype: wgslType(x.dtype), wg: WG_VARIANT },
    { nLines, ...uniforms } as ShaderUniforms[N],
    [...inputs.map((v) => v.storage.buffer), out.buffer],
    grid(nLines),
  );
  return out;
}

/**
 * (Log-)softmax along `axis`.
 */
export function softmax(ctx: KernelContext, x: V, axis: number, log: boolean): GpuStorage {
  const uniforms = { len: x.shape[axis]!, inner: prodRange(x.shape, 0, axis), log: log ? 1 : 0 };
  return perLine(ctx, "softmax", [x], x.shape[axis]!, uniforms);
}

/**
 * The gradient of (log-)softmax along `axis`, from its output `y` and `dy`.
 */
export function softmaxGrad(ctx: KernelContext, y: V, dy: V, axis: number, log: boolean): GpuStorage {
  const uniforms = { len: y.shape[axis]!, inner: prodRange(y.shape, 0, axis), log: log ? 1 : 0 };
  return perLine(ctx, "softmax_grad", [y, dy], y.shape[axis]!, uniforms);
}

/**
 * Layer normalisation of each consecutive line of `len` elements: `(x - mean) / sqrt(var + eps)`.
 *
 * @example
 * layernorm(ctx, x, 128, 1e-5);
 */
export function layernorm(ctx: KernelContext, x: V, len: number, eps: number): GpuStorage {
  return perLine(ctx, "layernorm", [x], len, { len, eps, pad: 0 });
}

/**
 * The VJP of `layernorm` from its input `x` and the cotangent `dy`.
 *
 * @example
 * layernormGrad(ctx, x, dy, 128, 1e-5);
 */
export function layernormGrad(ctx: KernelContext, x: V, dy: V, len: number, eps: number): GpuStorage {
  return perLine(ctx, "layernorm_grad", [x, dy], len, { len, eps, pad: 0 });
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { reduce, argReduce, softmax, softmaxGrad, layernorm, layernormGrad };
