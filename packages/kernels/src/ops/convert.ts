// Element-type conversion, copies, in-place assignment and transfer between devices.
import { record } from "../autodiff/tape.js";
import { type DeviceDescriptor, parseDevice } from "../device.js";
import { type DType, isFloat } from "../dtype.js";
import { ShapeError } from "../errors.js";
import { getBackend } from "../registry.js";
import { shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { backendOf, requireSupported, wrap } from "./core.js";
import { fromHost } from "./creation.js";

/**
 * A copy of `x` converted to `dtype` (Julia's `convert`/`Float32.(x)`); differentiable between floats.
 * Float → integer truncates toward zero; anything → bool is `x != 0`.
 *
 * @example
 * cast(tensor([1.7, -1.7], [2]), "i32"); // [1, -1]
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  const b = backendOf("cast", x);
  requireSupported("cast", b, dtype);
  const out = wrap(b, b.cast(x.view("cast"), dtype), x.shape, dtype);
  if (isFloat(dtype) && isFloat(x.dtype)) {
    record([x], out, (g) => [wrap(b, b.cast(g.view("cast"), x.dtype), x.shape, x.dtype)]);
  }
  return out;
}

/**
 * A new tensor with the same values on the same device (Julia's `copy`).
 *
 * @example
 * const w2 = clone(w); w.dispose(); // w2 still usable
 */
export function clone(x: Tensor): Tensor {
  const b = backendOf("clone", x);
  const out = wrap(b, b.cast(x.view("clone"), x.dtype), x.shape, x.dtype);
  record([x], out, (g) => [wrap(b, b.cast(g.view("clone"), x.dtype), x.shape, x.dtype)]);
  return out;
}

/**
 * Overwrites `target`'s values with `source`'s, in place (Julia's `copyto!` / `target .= source`);
 * returns `target`. Same shape, dtype and device. Not differentiable; used by in-place optimisers.
 * Tensors that share storage with `target` (its reshapes) see the change.
 *
 * @example
 * assign(w, sub(w, mul(g, 0.1))); // w .-= 0.1 .* g
 */
export function assign(target: Tensor, source: Tensor): Tensor {
  const b = backendOf("assign", target, source);
  if (!shapesEqual(target.shape, source.shape) || target.dtype !== source.dtype) {
    throw new ShapeError(
      `assign: target is [${target.shape.join(", ")}] ${target.dtype}, source [${source.shape.join(", ")}] ${source.dtype}; ` +
        "they must match (reshape or cast the source first).",
    );
  }
  b.write(target.view("assign"), source.view("assign"));
  return target;
}

/**
 * A copy of `x` on another device (loading that device's backend if needed). Always a new tensor, even
 * when `x` is already there (device objects in @flux/devices return the same tensor in that case).
 *
 * @example
 * const g = await toDevice(x, "webgpu:0");
 */
export async function toDevice(x: Tensor, device: DeviceDescriptor | string): Promise<Tensor> {
  const target = await getBackend(parseDevice(device));
  const data = await x.data();
  // A loop that feeds a device every step but never reads back waits here for the device to keep up.
  await target.backpressure?.();
  return fromHost(data, x.shape, x.dtype, target, "toDevice");
}
