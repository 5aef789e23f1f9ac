// Layout and indexing: broadcast expansion, permutation, gather/scatter-add, concatenation, one-hot.
import type { DType } from "../../dtype.js";
import { broadcastStrides, type Shape, sizeOf, stridesOf } from "../../shape.js";
import { type GpuStorage, wgslType } from "../storage.js";
import { prodRange } from "../strides.js";
import { type KernelContext, noF16, type V } from "./context.js";
import { dispatch1d, fillInto, stridedCopy } from "./dispatch.js";

/**
 * A new buffer of `length` elements holding, contiguous in `outShape`, x's element at `strides` for each
 * index.
 */
function gatherStrided(
  ctx: KernelContext,
  x: V,
  outShape: Shape,
  strides: readonly number[],
  length: number,
): GpuStorage {
  const out = ctx.alloc(length, x.dtype);
  stridedCopy(ctx, x.storage.buffer, out.buffer, x.dtype, outShape, strides, stridesOf(outShape), 0, 0);
  return out;
}

/**
 * `x` broadcast into `outShape`, materialised.
 */
export function expand(ctx: KernelContext, x: V, outShape: Shape): GpuStorage {
  return gatherStrided(ctx, x, outShape, broadcastStrides(x.shape, outShape), sizeOf(outShape));
}

/**
 * `x` with its dimensions reordered: output dimension i is input dimension `perm[i]`.
 */
export function permute(ctx: KernelContext, x: V, perm: readonly number[]): GpuStorage {
  const xs = stridesOf(x.shape);
  return gatherStrided(
    ctx,
    x,
    perm.map((p) => x.shape[p]!),
    perm.map((p) => xs[p]!),
    x.storage.length,
  );
}

/**
 * The slices of `x` along `axis` at `indices` (0-based).
 */
export function gather(ctx: KernelContext, x: V, axis: number, indices: Int32Array): GpuStorage {
  const axisLen = x.shape[axis]!;
  const inner = prodRange(x.shape, 0, axis);
  noF16(ctx, "gather", x.dtype);
  const n = (x.storage.length / (axisLen || 1)) * indices.length;
  const out = ctx.alloc(n);
  if (n === 0) return out;
  if (axisLen === 0) {
    fillInto(ctx, out, n, 0, 0, x.dtype);
    return out;
  }
  const idx = ctx.upload(indices, "i32");
  dispatch1d(
    ctx,
    "gather",
    { dtype: wgslType(x.dtype) },
    { n, inner, nIdx: indices.length, axisLen },
    [x.storage.buffer, idx.buffer, out.buffer],
    n,
  );
  ctx.dispose(idx);
  return out;
}

/**
 * The adjoint of `gather`: slices of `dy` summed into `outShape` at `indices` along `axis`.
 */
export function scatterAdd(
  ctx: KernelContext,
  dy: V,
  axis: number,
  indices: Int32Array,
  outShape: Shape,
): GpuStorage {
  noF16(ctx, "scatterAdd", dy.dtype);
  const n = sizeOf(outShape);
  const out = ctx.alloc(n);
  if (n === 0) return out;
  const axisLen = outShape[axis]!;
  // CSR inverse of the index list: starts[t]..starts[t+1] are the j with indices[j] == t, in order.
  const starts = new Uint32Array(axisLen + 1);
  for (const t of indices) starts[t + 1]!++;
  for (let t = 0; t < axisLen; t++) starts[t + 1]! += starts[t]!;
  const fillAt = starts.slice(0, axisLen);
  const sources = new Uint32Array(Math.max(indices.length, 1));
  indices.forEach((t, j) => {
    sources[fillAt[t]!++] = j;
  });
  const s = ctx.upload(starts, "u32");
  const src = ctx.upload(sources, "u32");
  dispatch1d(
    ctx,
    "scatter_add",
    { dtype: wgslType(dy.dtype) },
    { n, inner: prodRange(outShape, 0, axis), nIdx: indices.length, axisLen },
    [dy.storage.buffer, s.buffer, src.buffer, out.buffer],
    n,
  );
  ctx.dispose(s);
  ctx.dispose(src);
  return out;
}

/**
 * `xs` joined along `axis` into `outShape`.
 */
export function concat(ctx: KernelContext, xs: readonly V[], axis: number, outShape: Shape): GpuStorage {
  const out = ctx.alloc(sizeOf(outShape), xs[0]?.dtype ?? "f32");
  const os = stridesOf(outShape);
  let offset = 0;
  for (const x of xs) {
    stridedCopy(
      ctx,
      x.storage.buffer,
      out.buffer,
      x.dtype,
      x.shape,
      stridesOf(x.shape),
      os,
      0,
      offset * os[axis]!,
    );
    offset += x.shape[axis]!;
  }
  return out;
}

/**
 * One-hot columns `[nclasses, indices.length]` for 0-based `indices`.
 */
export function onehot(ctx: KernelContext, indices: Int32Array, nclasses: number, dtype: DType): GpuStorage {
  noF16(ctx, "onehot", dtype);
  const n = nclasses * indices.length;
  const out = ctx.alloc(n);
  if (n === 0) return out;
  const idx = ctx.upload(indices, "i32");
  dispatch1d(ctx, "onehot", { dtype: wgslType(dtype) }, { n, nclasses }, [idx.buffer, out.buffer], n);
  ctx.dispose(idx);
  return out;
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { expand, permute, gather, scatterAdd, concat, onehot };
