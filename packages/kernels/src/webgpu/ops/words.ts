// Host-side encodings into the 32-bit uniform words the kernels read: op codes (positions in the op lists
// of opNames.ts, the numbers of the generated WGSL constants) and scalars as bits.
import type { DType } from "../../dtype.js";
import {
  ARG_REDUCE_OPS,
  type ArgReduceOp,
  ARITHMETIC_OPS,
  type BinaryOp,
  COMPARISON_OPS,
  isComparison,
  opCode,
  REDUCE_OPS,
  type ReduceOp,
  UNARY_OPS,
  type UnaryOp,
} from "../../opNames.js";
import { accumulatorType } from "../storage.js";

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const i32 = new Int32Array(f32.buffer);

/** The code of "no activation" in the fused kernels (ACT_IDENTITY in opcodes.inc.wgsl). */
export const ACT_IDENTITY = 0xffffffff;

/**
 * A unary op's code (UNARY_* in WGSL).
 */
export function unaryCode(op: UnaryOp): number {
  return opCode(UNARY_OPS, op);
}

/**
 * A binary op's code within its family (BINARY_* for arithmetic, COMPARE_* for comparisons).
 */
export function binaryCode(op: BinaryOp): number {
  return isComparison(op) ? opCode(COMPARISON_OPS, op) : opCode(ARITHMETIC_OPS, op);
}

/**
 * A reduction's code (REDUCE_* in WGSL).
 */
export function reduceCode(op: ReduceOp): number {
  return opCode(REDUCE_OPS, op);
}

/**
 * An index reduction's code (ARG_REDUCE_* in WGSL).
 */
export function argReduceCode(op: ArgReduceOp): number {
  return opCode(ARG_REDUCE_OPS, op);
}

/**
 * The activation code of affine_act.wgsl / bias_act.wgsl: a unary op's code, or ACT_IDENTITY.
 */
export function fusedActCode(act: UnaryOp | "identity"): number {
  return act === "identity" ? ACT_IDENTITY : unaryCode(act);
}

/**
 * The bits of `v` as an f32.
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
