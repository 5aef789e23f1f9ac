// The one recorded unary primitive behind every public element-wise function of unary.ts, in its own module
// so that other ops (dense's activation after its fused GEMM) apply an op by name without making it public.
import { record } from "../autodiff/tape.js";
import { DTypeError } from "../errors.js";
import { INTEGER_UNARY_OPS, type UnaryOp } from "../opNames.js";
import type { Tensor } from "../tensor.js";
import { backendOf, wrap } from "./core.js";

/** @internal Applies a unary primitive with its VJP recorded. */
export function unaryOp(op: UnaryOp, x: Tensor, param = 0): Tensor {
  const b = backendOf(op, x);
  if (
    x.dtype === "bool" ||
    (!INTEGER_UNARY_OPS.includes(op) && x.dtype !== "f32" && x.dtype !== "f64" && x.dtype !== "f16")
  ) {
    throw new DTypeError(
      `${op} needs a ${INTEGER_UNARY_OPS.includes(op) ? "numeric" : "float"} tensor, got ${x.dtype}. Convert with cast(x, "f32").`,
    );
  }
  const out = wrap(b, b.unary(op, x.view(op), param), x.shape, x.dtype);
  record([x], out, (g) => [
    wrap(b, b.unaryGrad(op, x.view(op), out.view(op), g.view(op), param), x.shape, x.dtype),
  ]);
  return out;
}
