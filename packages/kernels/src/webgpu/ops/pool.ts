// 2-D max/mean pooling and its gradient (pool.wgsl, pool_grad.wgsl).
import type { Pool2dGeometry } from "../../backend.js";
import type { PoolOp } from "../../opNames.js";
import { sizeOf } from "../../shape.js";
import type { GpuStorage } from "../storage.js";
import { type KernelContext, noF16, type V } from "./context.js";
import type { ShaderUniforms } from "../generated/shaders.js";
import { dispatch1d } from "./dispatch.js";

function poolUniforms(op: PoolOp, g: Pool2dGeometry, n: number): ShaderUniforms["pool"] {
  const [W, H] = g.inShape;
  const [oW, oH] = g.outShape;
  const [kW, kH] = g.window;
  const [sw, sh] = g.stride;
  return { n, W, H, oW, oH, kW, kH, sw, sh, padW: g.pad[0], padH: g.pad[2], isMax: op === "max" ? 1 : 0 };
}

/**
 * `op` pooling of `x` over the windows of `g`.
 */
export function pool2d(ctx: KernelContext, op: PoolOp, x: V, g: Pool2dGeometry): GpuStorage {
  noF16(ctx, `${op}pool`, x.dtype);
  const n = sizeOf(g.outShape);
  const out = ctx.alloc(n);
  if (n === 0) return out;
  dispatch1d(ctx, "pool", { dtype: "f32" }, poolUniforms(op, g, n), [x.storage.buffer, out.buffer], n);
  return out;
}

/**
 * The gradient of `pool2d` with respect to `x`, from its output `y` and `dy`.
 */
export function pool2dBackward(
  ctx: KernelContext,
  op: PoolOp,
  x: V,
  y: V,
  dy: V,
  g: Pool2dGeometry,
): GpuStorage {
  noF16(ctx, `${op}pool`, x.dtype);
  const n = sizeOf(g.inShape);
  const out = ctx.alloc(n);
  if (n === 0) return out;
  dispatch1d(
    ctx,
    "pool_grad",
    { dtype: "f32" },
    poolUniforms(op, g, n),
    [x.storage.buffer, y.storage.buffer, dy.storage.buffer, out.buffer],
    n,
  );
  return out;
}

/** The backend methods this family provides (the backend binds each to its KernelContext). */
export const ops = { pool2d, pool2dBackward };
