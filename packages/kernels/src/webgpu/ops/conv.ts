// 2-D convolution as im2col + matmul, and its input and filter gradients (im2col.wgsl, col2im.wgsl).
import type { Conv2dGeometry } from "../../backend.js";
import { sizeOf } from "../../shape.js";
import type { GpuStorage } from "../storage.js";
import { type KernelContext, noF16, type V } from "./context.js";
import type { ShaderUniforms } from "../generated/shaders.js";
import { dispatch1d, fillInto, stridedCopy } from "./dispatch.js";

function convDims(g: Conv2dGeometry): { P: number; K: number; N: number; Cout: number } {
  const [kW, kH, C, Cout] = g.weightShape;
  return { P: g.outShape[0] * g.outShape[1], K: kW * kH * C, N: g.inShape[3], Cout };
}

function convUniforms(g: Conv2dGeometry, n: number): ShaderUniforms["im2col"] {
  const [W, H, C] = g.inShape;
  const [kW, kH] = g.weightShape;
  const [oW, oH] = g.outShape;
  const [sw, sh] = g.stride;
  const [dw, dh] = g.dilation;
  return {
    n,
    W,
    H,
    C,
    kW,
    kH,
    oW,
    oH,
    sw,
    sh,
    dw,
    dh,
    padW: g.pad[0],
    padH: g.pad[2],
    flipped: g.flipped ? 1 : 0,
  };
}

function im2col(ctx: KernelContext, x: GPUBuffer, g: Conv2dGeometry): GpuStorage {
  const { P, K, N } = convDims(g);
  const n = P * K * N;
  const cols = ctx.alloc(n);
  if (n > 0) dispatch1d(ctx, "im2col", { dtype: "f32" }, convUniforms(g, n), [x, cols.buffer], n);
  return cols;
}

/**
 * The convolution of `x` with `w` over the geometry `g`.
 */
export function conv2d(ctx: KernelContext, x: V, w: V, g: Conv2dGeometry): GpuStorage {
  noF16(ctx, "conv2d", x.dtype);
  const { P, K, N, Cout } = convDims(g);
  const out = ctx.alloc(P * Cout * N);
  if (P * Cout * N === 0) return out;
  const cols = im2col(ctx, x.storage.buffer, g);
  // y_n[P×Cout] = cols_n[P×K] · w[K×Cout] for every image n (w reused: batch stride 0).
  ctx.matmulInto(
    cols.buffer,
    w.storage.buffer,
    out.buffer,
    { M: P, N: Cout, K, transA: false, transB: false },
    P * K,
    0,
    N,
  );
  ctx.dispose(cols);
  return out;
}

/**
 * The gradient of `conv2d` with respect to its input.
 */
export function conv2dBackwardInput(ctx: KernelContext, dy: V, w: V, g: Conv2dGeometry): GpuStorage {
  noF16(ctx, "conv2d", dy.dtype);
  const { P, K, N, Cout } = convDims(g);
  const n = sizeOf(g.inShape);
  const out = ctx.alloc(n);
  if (n === 0) return out;
  // dcols_n[P×K] = dy_n[P×Cout] · wᵀ, then each input element gathers the taps that read it.
  const dcols = ctx.alloc(P * K * N);
  ctx.matmulInto(
    dy.storage.buffer,
    w.storage.buffer,
    dcols.buffer,
    { M: P, N: K, K: Cout, transA: false, transB: true },
    P * Cout,
    0,
    N,
  );
  dispatch1d(ctx, "col2im", { dtype: "f32" }, convUniforms(g, n), [dcols.buffer, out.buffer], n);
  ctx.dispose(dcols);
  return out;
}

/**
 * The gradient of `conv2d` with respect to its filter.
 */
export function conv2dBackwardFilter(ctx: KernelContext, x: V, dy: V, g: Conv2dGeometry): GpuStorage {
  noF16(ctx, "conv2d", x.dtype);
  const { P, K, N, Cout } = convDims(g);
  const out = ctx.alloc(K * Cout);
  if (K * Cout === 0) return out;
  // dw[K×Cout] = Σ_n cols_nᵀ · dy_n = colsᵀ · dy once both are laid out as [P·N, ·].
  const cols = im2col(ctx, x.storage.buffer, g);
  const colsPNK = ctx.alloc(P * N * K);
  stridedCopy(ctx, cols.buffer, colsPNK.buffer, "f32", [P, N, K], [1, P * K, P], [1, P, P * N], 0, 0);
  const dyPNC = ctx.alloc(P * N * Cout);
  stridedCopy(
    ctx,
    dy.storage.buffer,
    dyPNC.buffer,
    "f32",
    [P, N, Cout],
    [1, P * Cout, P],
    [1, P, P * N],
    0,
    0,
  );
  if (P * N === 0) fillInto(ctx, out, K * Cout, 0, 0, "f32");
  else
    ctx.matmulInto(
      colsPNK.buffer,
      dyPNC.buffer,
      out.buffer,
      { M: K, N: Cout, K: P * N, transA: true, transB: false },
      0,
      0,
      1,
    );
  ctx.dispose(cols);
  ctx.dispose(colsPNK);
  ctx.dispose(dyPNC);
  return out;
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { conv2d, conv2dBackwardInput, conv2dBackwardFilter };
