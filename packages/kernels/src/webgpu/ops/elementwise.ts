// Element-wise kernels: unary ops and their gradients, broadcasting binary ops, where, fused affine+act.
import {
  ARITHMETIC_OPS,
  type BinaryOp,
  COMPARISON_OPS,
  isComparison,
  UNARY_OPS,
  type UnaryOp,
} from "../../opNames.js";
import { broadcastStrides, type Shape, sizeOf } from "../../shape.js";
import { type GpuStorage, wgslType } from "../storage.js";
import { coalesce, MAX_RANK, packDims } from "../strides.js";
import { type KernelContext, noF16, type V } from "./context.js";
import { dispatch1d } from "./dispatch.js";
import { floatBits, fusedActCode } from "./words.js";

/**
 * `op.(x)` with its scalar `param` (e.g. leakyrelu's slope).
 *
 * @example
 * unary(ctx, "relu", x, 0);
 */
export function unary(ctx: KernelContext, op: UnaryOp, x: V, param: number): GpuStorage {
  const n = x.storage.length;
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  const code = UNARY_OPS.indexOf(op);
  dispatch1d(
    ctx,
    "unary",
    { dtype: wgslType(x.dtype) },
    [n, code, floatBits(param), 0],
    [x.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/**
 * The gradient of `op` at `x` (with `y = op(x)`) times `dy`.
 *
 * @example
 * unaryGrad(ctx, "tanh", x, y, dy, 0);
 */
export function unaryGrad(ctx: KernelContext, op: UnaryOp, x: V, y: V, dy: V, param: number): GpuStorage {
  const n = x.storage.length;
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  dispatch1d(
    ctx,
    "unary_grad",
    { dtype: wgslType(x.dtype) },
    [n, UNARY_OPS.indexOf(op), floatBits(param), 0],
    [x.storage.buffer, y.storage.buffer, dy.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/**
 * Broadcasting `a op b` into `outShape` (comparisons give bool).
 *
 * @example
 * binary(ctx, "add", a, b, [3, 4]);
 */
export function binary(ctx: KernelContext, op: BinaryOp, a: V, b: V, outShape: Shape): GpuStorage {
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, isComparison(op) ? "bool" : a.dtype);
  if (n === 0) return out;
  const space = coalesce(outShape, [
    broadcastStrides(a.shape, outShape),
    broadcastStrides(b.shape, outShape),
  ]);
  const words = new Uint32Array(4 + 3 * MAX_RANK);
  const cmp = isComparison(op);
  words.set([
    n,
    cmp ? COMPARISON_OPS.indexOf(op as never) : ARITHMETIC_OPS.indexOf(op as never),
    space.shape.length,
    0,
  ]);
  packDims(words, 4, space.shape);
  packDims(words, 4 + MAX_RANK, space.strides[0]!);
  packDims(words, 4 + 2 * MAX_RANK, space.strides[1]!);
  dispatch1d(
    ctx,
    cmp ? "compare" : "binary",
    { dtype: wgslType(a.dtype) },
    words,
    [a.storage.buffer, b.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/**
 * Broadcasting `cond ? a : b` into `outShape`.
 *
 * @example
 * where(ctx, mask, a, b, [3]);
 */
export function where(ctx: KernelContext, cond: V, a: V, b: V, outShape: Shape): GpuStorage {
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, a.dtype);
  if (n === 0) return out;
  const space = coalesce(outShape, [
    broadcastStrides(cond.shape, outShape),
    broadcastStrides(a.shape, outShape),
    broadcastStrides(b.shape, outShape),
  ]);
  const words = new Uint32Array(4 + 4 * MAX_RANK);
  words.set([n, space.shape.length, 0, 0]);
  packDims(words, 4, space.shape);
  for (let k = 0; k < 3; k++) packDims(words, 4 + (k + 1) * MAX_RANK, space.strides[k]!);
  dispatch1d(
    ctx,
    "where",
    { dtype: wgslType(a.dtype) },
    words,
    [cond.storage.buffer, a.storage.buffer, b.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/**
 * Fused `act.(a .* x .+ b)` in one pass (affine_act.wgsl). f32 only: the op layer sends only float
 * tensors here, and f32 is this backend's only float dtype.
 *
 * @example
 * affineAct(ctx, "relu", 0, a, x, b, [4, 2]);
 */
export function affineAct(
  ctx: KernelContext,
  act: UnaryOp | "identity",
  param: number,
  a: V,
  x: V,
  b: V,
  outShape: Shape,
): GpuStorage {
  noF16(ctx, "affineAct", x.dtype);
  const n = sizeOf(outShape);
  const out = ctx.alloc(n);
  if (n === 0) return out;
  const space = coalesce(
    outShape,
    [a, x, b].map((v) => broadcastStrides(v.shape, outShape)),
  );
  const words = new Uint32Array(4 + 4 * MAX_RANK);
  words.set([n, space.shape.length, fusedActCode(act), floatBits(param)]);
  packDims(words, 4, space.shape);
  for (let k = 0; k < 3; k++) packDims(words, 4 + (k + 1) * MAX_RANK, space.strides[k]!);
  dispatch1d(
    ctx,
    "affine_act",
    {},
    words,
    [a.storage.buffer, x.storage.buffer, b.storage.buffer, out.buffer],
    n,
  );
  return out;
}
