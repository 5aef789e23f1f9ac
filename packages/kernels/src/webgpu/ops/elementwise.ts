// Element-wise kernels: unary ops and their gradients, broadcasting binary ops, where, fused affine+act.
import { type BinaryOp, isComparison, type UnaryOp } from "../../opNames.js";
import { broadcastStrides, type Shape, sizeOf } from "../../shape.js";
import { type GpuStorage, wgslType } from "../storage.js";
import { coalesce } from "../strides.js";
import { type KernelContext, noF16, type V } from "./context.js";
import { dispatch1d } from "./dispatch.js";
import { binaryCode, fusedActCode, unaryCode } from "./words.js";

/**
 * `op.(x)` with its scalar `param` (e.g. leakyrelu's slope).
 */
export function unary(ctx: KernelContext, op: UnaryOp, x: V, param: number): GpuStorage {
  const n = x.storage.length;
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  dispatch1d(
    ctx,
    "unary",
    { dtype: wgslType(x.dtype) },
    { n, op: unaryCode(op), param },
    [x.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/**
 * The gradient of `op` at `x` (with `y = op(x)`) times `dy`.
 */
export function unaryGrad(ctx: KernelContext, op: UnaryOp, x: V, y: V, dy: V, param: number): GpuStorage {
  const n = x.storage.length;
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  dispatch1d(
    ctx,
    "unary_grad",
    { dtype: wgslType(x.dtype) },
    { n, op: unaryCode(op), param },
    [x.storage.buffer, y.storage.buffer, dy.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/**
 * Broadcasting `a op b` into `outShape` (comparisons give bool).
 */
export function binary(ctx: KernelContext, op: BinaryOp, a: V, b: V, outShape: Shape): GpuStorage {
  const n = sizeOf(outShape);
  const out = ctx.alloc(n, isComparison(op) ? "bool" : a.dtype);
  if (n === 0) return out;
  const space = coalesce(outShape, [
    broadcastStrides(a.shape, outShape),
    broadcastStrides(b.shape, outShape),
  ]);
  const [sa, sb] = space.strides as [number[], number[]];
  dispatch1d(
    ctx,
    isComparison(op) ? "compare" : "binary",
    { dtype: wgslType(a.dtype) },
    { n, op: binaryCode(op), rank: space.shape.length, shape: space.shape, sa, sb },
    [a.storage.buffer, b.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/**
 * Broadcasting `cond ? a : b` into `outShape`.
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
  const [sc, sa, sb] = space.strides as [number[], number[], number[]];
  dispatch1d(
    ctx,
    "where",
    { dtype: wgslType(a.dtype) },
    { n, rank: space.shape.length, shape: space.shape, sc, sa, sb },
    [cond.storage.buffer, a.storage.buffer, b.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/**
 * Fused `act.(a .* x .+ b)` in one pass (affine_act.wgsl). f32 only: the op layer sends only float
 * tensors here, and f32 is this backend's only float dtype.
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
  const [sa, sx, sb] = space.strides as [number[], number[], number[]];
  dispatch1d(
    ctx,
    "affine_act",
    {},
    { n, rank: space.shape.length, op: fusedActCode(act), param, shape: space.shape, sa, sx, sb },
    [a.storage.buffer, x.storage.buffer, b.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { unary, unaryGrad, binary, where, affineAct };
