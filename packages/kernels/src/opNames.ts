// The names of the element-wise and reduction primitives, in ONE place so that every backend can enumerate
// them (and a test can check that a backend covers them all).

/**
 * Unary element-wise primitives. Activations follow NNlib's definitions; `leakyrelu` and `elu` take a
 * scalar parameter (`a` = 0.01 and `α` = 1 by default).
 */
export const UNARY_OPS = [
  "neg",
  "abs",
  "sign",
  "square",
  "exp",
  "log",
  "sqrt",
  "rsqrt",
  "reciprocal",
  "log1p",
  "expm1",
  "sin",
  "cos",
  "floor",
  "ceil",
  "round",
  "tanh",
  "sigmoid",
  "relu",
  "leakyrelu",
  "elu",
  "gelu",
  "softplus",
  "swish",
] as const;
/** The name of a unary element-wise primitive. */
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Unary ops that make sense on integer tensors too (others need a float dtype). */
export const INTEGER_UNARY_OPS: readonly UnaryOp[] = ["neg", "abs", "sign", "square"];

/** Arithmetic binary primitives (output dtype = operand dtype). */
export const ARITHMETIC_OPS = ["add", "sub", "mul", "div", "pow", "max", "min"] as const;
/** Comparison binary primitives (output dtype `bool`). */
export const COMPARISON_OPS = ["eq", "ne", "lt", "le", "gt", "ge"] as const;
/** Every binary element-wise primitive. */
export const BINARY_OPS = [...ARITHMETIC_OPS, ...COMPARISON_OPS] as const;
/** The name of a binary arithmetic primitive. */
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];
/** The name of a comparison primitive. */
export type ComparisonOp = (typeof COMPARISON_OPS)[number];
/** The name of any binary element-wise primitive. */
export type BinaryOp = ArithmeticOp | ComparisonOp;

/** Reductions over a set of dims (kept as size-1 dims). */
export const REDUCE_OPS = ["sum", "prod", "max", "min"] as const;
/** The name of a reduction primitive. */
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Index reductions over one dim (0-based indices, dtype i32). */
export const ARG_REDUCE_OPS = ["argmax", "argmin"] as const;
/** The name of an index reduction. */
export type ArgReduceOp = (typeof ARG_REDUCE_OPS)[number];

/** Pooling kinds. */
export const POOL_OPS = ["max", "mean"] as const;
/** The name of a pooling kind. */
export type PoolOp = (typeof POOL_OPS)[number];

/** Whether a binary op returns bool. */
export function isComparison(op: BinaryOp): op is ComparisonOp {
  return (COMPARISON_OPS as readonly string[]).includes(op);
}
