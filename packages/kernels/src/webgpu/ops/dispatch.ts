// The recording helpers shared by the op families: 1-D dispatches, fills and strided copies.
import type { DType } from "../../dtype.js";
import { type Shape, sizeOf } from "../../shape.js";
import { grid } from "../executor.js";
import type { ShaderName, ShaderUniforms } from "../generated/shaders.js";
import { accumulatorType, type GpuStorage, wgslType } from "../storage.js";
import { coalesce } from "../strides.js";
import type { KernelContext } from "./context.js";

/** Workgroup size of the 1-D kernels. 64 keeps SwiftShader's per-invocation cost low and fits every GPU. */
export const WG = 64;
/** The `wg` variant that selects {@link WG} in the shader templates. */
export const WG_VARIANT = "64u";

/**
 * Records a 1-D kernel over `n` elements, `WG` per workgroup.
 */
export function dispatch1d<N extends ShaderName>(
  ctx: KernelContext,
  name: N,
  variant: Record<string, string>,
  uniforms: ShaderUniforms[N],
  buffers: readonly GPUBuffer[],
  n: number,
): void {
  ctx.exec.dispatch(name, { ...variant, wg: WG_VARIANT }, uniforms, buffers, grid(Math.ceil(n / WG)));
}

/**
 * Records `out[i] = start + i * step` (given as bits) for `size` elements.
 */
export function fillInto(
  ctx: KernelContext,
  out: GpuStorage,
  size: number,
  startBits: number,
  stepBits: number,
  dtype: DType,
): void {
  if (size === 0) return;
  dispatch1d(
    ctx,
    "fill",
    { dtype: wgslType(dtype), word: accumulatorType(dtype) },
    { n: size, start: startBits, step: stepBits },
    [out.buffer],
    size,
  );
}

/**
 * Records a copy of a strided `shape` from `src` to `dst` (element strides and bases on each side).
 */
export function stridedCopy(
  ctx: KernelContext,
  src: GPUBuffer,
  dst: GPUBuffer,
  dtype: DType,
  shape: Shape,
  srcStrides: readonly number[],
  dstStrides: readonly number[],
  srcBase: number,
  dstBase: number,
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const space = coalesce(shape, [srcStrides, dstStrides]);
  const [ss, ds] = space.strides as [number[], number[]];
  const uniforms = { n, rank: space.shape.length, srcBase, dstBase, shape: space.shape, ss, ds };
  dispatch1d(ctx, "copy", { dtype: wgslType(dtype) }, uniforms, [src, dst], n);
}
