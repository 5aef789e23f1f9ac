// Creation and dtype conversion: fill, arange, cast.
import { arrayCtor, type DType, isFloat } from "../../dtype.js";
import { type GpuStorage, wgslType } from "../storage.js";
import type { KernelContext, V } from "./context.js";
import { dispatch1d, fillInto } from "./dispatch.js";
import { scalarBits } from "./words.js";

function fillLike(
  ctx: KernelContext,
  size: number,
  startBits: number,
  stepBits: number,
  dtype: DType,
): GpuStorage {
  const out = ctx.alloc(size, dtype);
  fillInto(ctx, out, size, startBits, stepBits, dtype);
  return out;
}

/**
 * A new buffer of `size` copies of `value`.
 */
export function fill(ctx: KernelContext, size: number, value: number, dtype: DType): GpuStorage {
  return fillLike(ctx, size, scalarBits(value, dtype), 0, dtype);
}

/**
 * A new buffer of `start + i * step` for `i < size`.
 */
export function arange(
  ctx: KernelContext,
  start: number,
  step: number,
  size: number,
  dtype: DType,
): GpuStorage {
  if (!isFloat(dtype) && (!Number.isInteger(start) || !Number.isInteger(step))) {
    // An integer dtype with fractional steps: compute on the host exactly as the CPU does.
    const host = new (arrayCtor(dtype))(size);
    for (let i = 0; i < size; i++) host[i] = start + i * step;
    return ctx.upload(host, dtype);
  }
  return fillLike(ctx, size, scalarBits(start, dtype), scalarBits(step, dtype), dtype);
}

/**
 * `x` converted to `dtype` (bool: nonzero; integers: truncated, u8 masked).
 */
export function cast(ctx: KernelContext, x: V, dtype: DType): GpuStorage {
  const n = x.storage.length;
  const out = ctx.alloc(n, dtype);
  if (n === 0) return out;
  const mode = dtype === "bool" ? 2 : isFloat(dtype) ? 0 : 1;
  const mask = dtype === "u8" ? 0xff : 0xffffffff;
  dispatch1d(
    ctx,
    "cast",
    { src: wgslType(x.dtype), dst: wgslType(dtype) },
    { n, mode, mask },
    [x.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { fill, arange, cast };
