// Host-side encodings of scalars into the 32-bit uniform words the kernels read.
import type { DType } from "../../dtype.js";
import type { ReduceOp, UnaryOp } from "../../opNames.js";
import { UNARY_OPS } from "../../opNames.js";
import { accumulatorType } from "../storage.js";

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const i32 = new Int32Array(f32.buffer);

/**
 * The activation code of affine_act.wgsl / bias_act.wgsl: a UNARY_OPS index, or IDENTITY (all ones).
 *
 * @example
 * fusedActCode("identity"); // 0xffffffff
 */
export function fusedActCode(act: UnaryOp | "identity"): number {
  return act === "identity" ? 0xffffffff : UNARY_OPS.indexOf(act);
}

/**
 * The bits of `v` as an f32.
 *
 * @example
 * floatBits(1); // 0x3f800000
 */
export function floatBits(v: number): number {
  f32[0] = v;
  return f32Bits[0]!;
}

function intBits(v: number): number {
  i32[0] = v;
  return f32Bits[0]!;
}

/**
 * A scalar's bits as the 32-bit uniform word kernels read it (integers wrap like the CPU's typed arrays;
 * f16 travels as f32 and is converted in the kernel).
 *
 * @example
 * scalarBits(-1, "i32"); // 0xffffffff
 */
export function scalarBits(v: number, dtype: DType): number {
  switch (accumulatorType(dtype)) {
    case "f32":
      return floatBits(v);
    case "i32":
      return intBits(Math.trunc(v) | 0);
    default:
      return dtype === "u32" ? Math.trunc(v) >>> 0 : (Math.trunc(v) & 255) >>> 0;
  }
}

/**
 * The identity of a reduction in a dtype, as bits (±Inf cannot be a WGSL constant).
 *
 * @example
 * reduceInit("max", "f32"); // 0xff800000 (-Inf)
 */
export function reduceInit(op: ReduceOp | "lowest" | "highest", dtype: DType): number {
  const t = accumulatorType(dtype);
  switch (op) {
    case "sum":
      return 0;
    case "prod":
      return t === "f32" ? floatBits(1) : 1;
    case "max":
    case "lowest":
      return t === "f32" ? 0xff800000 : t === "i32" ? 0x80000000 : 0;
    default:
      return t === "f32" ? 0x7f800000 : t === "i32" ? 0x7fffffff : 0xffffffff;
  }
}
