// The element-wise, reduction and pooling primitives, DECLARED in one place. Everything else derives from
// these tables: the op-name types and lists, the WGSL op constants (tooling/scripts/gen-wgsl.mjs writes
// packages/kernels/shaders/opcodes.inc.wgsl from them: `UNARY_MISH`, `BINARY_ADD`...), which ops take
// integers, which have a zero gradient, the default of an op's scalar parameter, and the unary ops'
// conformance cases (a hand-checked example and the domain the gradient check samples). A test
// (tooling/conformance/coverage.test.ts) checks that every declared op has its CPU forward and gradient,
// its WGSL cases, its public function and its conformance cases. CONTRIBUTING.md, "Adding an op", is the recipe.

/** Where the gradient check samples an op's input: anywhere, in [0.5, 3.5), or away from 0 (a kink or pole). */
export type OpDomain = "real" | "positive" | "awayFromZero";

/** The declaration of one unary element-wise op: every fact about it besides its math. */
export interface UnaryOpSpec {
  /** Also defined on integer tensors, computed in their own type (others need a float dtype). */
  readonly integer?: boolean;
  /** Its derivative is zero almost everywhere: no gradient kernel case, no gradient check. */
  readonly zeroGradient?: boolean;
  /** The default of its scalar parameter (leakyrelu's slope, elu's α); absent when it takes none. */
  readonly param?: number;
  /** Where the gradient check samples x (default "real"). */
  readonly domain?: OpDomain;
  /** A hand-checked example, run as the op's conformance value case on every backend: `op.(x) == y`. */
  readonly example: { readonly x: readonly number[]; readonly y: readonly number[] };
}

const E = Math.E;

/**
 * Unary element-wise primitives, in WGSL code order (an op's code is its position; the generated WGSL
 * constants follow it). Activations follow NNlib's definitions. Add an op at the END.
 */
const UNARY_DECLARATIONS = {
  neg: { integer: true, example: { x: [1, -2], y: [-1, 2] } },
  abs: { integer: true, domain: "awayFromZero", example: { x: [-1.5, 2], y: [1.5, 2] } },
  sign: { integer: true, zeroGradient: true, example: { x: [-3, 0, 2], y: [-1, 0, 1] } },
  square: { integer: true, example: { x: [3, -2], y: [9, 4] } },
  exp: { example: { x: [0, 1], y: [1, E] } },
  log: { domain: "positive", example: { x: [1, E], y: [0, 1] } },
  sqrt: { domain: "positive", example: { x: [4, 9], y: [2, 3] } },
  rsqrt: { domain: "positive", example: { x: [4], y: [0.5] } },
  reciprocal: { domain: "awayFromZero", example: { x: [4, -0.5], y: [0.25, -2] } },
  log1p: { domain: "positive", example: { x: [0, E - 1], y: [0, 1] } },
  expm1: { example: { x: [0, 1], y: [0, E - 1] } },
  sin: { example: { x: [0, Math.PI / 2], y: [0, 1] } },
  cos: { example: { x: [0, Math.PI], y: [1, -1] } },
  floor: { zeroGradient: true, example: { x: [1.5, -1.5], y: [1, -2] } },
  ceil: { zeroGradient: true, example: { x: [1.5, -1.5], y: [2, -1] } },
  round: { zeroGradient: true, example: { x: [2.5, 3.5, -2.5, 1.2], y: [2, 4, -2, 1] } },
  tanh: { example: { x: [0, 1], y: [0, Math.tanh(1)] } },
  sigmoid: { example: { x: [0, 2], y: [0.5, 1 / (1 + Math.exp(-2))] } },
  relu: { domain: "awayFromZero", example: { x: [-1, 0, 2], y: [0, 0, 2] } },
  leakyrelu: { param: 0.01, domain: "awayFromZero", example: { x: [-1, 2], y: [-0.01, 2] } },
  elu: { param: 1, domain: "awayFromZero", example: { x: [-1, 2], y: [Math.exp(-1) - 1, 2] } },
  // NumPy: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) at ±1
  gelu: { example: { x: [1, -1, 0], y: [0.8411919906082768, -0.15880800939172324, 0] } },
  softplus: { example: { x: [0, 1, -50], y: [Math.LN2, Math.log(1 + E), Math.exp(-50)] } },
  swish: { example: { x: [1, 0], y: [1 / (1 + Math.exp(-1)), 0] } },
  // x tanh(softplus(x)) at ±1 (Misra 2019; NNlib's mish)
  mish: { example: { x: [1, -1, 0], y: [0.8650983882673103, -0.30340146137410895, 0] } },
} as const satisfies Record<string, UnaryOpSpec>;

/** The name of a unary element-wise primitive. */
export type UnaryOp = keyof typeof UNARY_DECLARATIONS;

/** Every unary op's declaration, by name (in code order). */
export const UNARY_OP_SPECS: Readonly<Record<UnaryOp, UnaryOpSpec>> = UNARY_DECLARATIONS;

/** Every unary op, in code order. */
export const UNARY_OPS = Object.keys(UNARY_OP_SPECS) as UnaryOp[] as readonly UnaryOp[];

/** Unary ops that make sense on integer tensors too (others need a float dtype). */
export const INTEGER_UNARY_OPS: readonly UnaryOp[] = UNARY_OPS.filter((op) => UNARY_OP_SPECS[op].integer);

/** Unary ops whose derivative is zero almost everywhere (their VJP is zeros). */
export const ZERO_GRADIENT_UNARY_OPS: readonly UnaryOp[] = UNARY_OPS.filter(
  (op) => UNARY_OP_SPECS[op].zeroGradient,
);

/** The default scalar parameter of a unary op (0 for ops that take none). */
export function defaultParam(op: UnaryOp): number {
  return UNARY_OP_SPECS[op].param ?? 0;
}

/**
 * Arithmetic binary primitives (output dtype = operand dtype), in WGSL code order, with the public
 * function that applies each (Julia's `max.(a, b)` is `maximum`, as `max` is the reduction).
 */
export const ARITHMETIC_OP_SPECS = {
  add: { fn: "add" },
  sub: { fn: "sub" },
  mul: { fn: "mul" },
  div: { fn: "div" },
  pow: { fn: "pow" },
  max: { fn: "maximum" },
  min: { fn: "minimum" },
} as const;
/** Comparison binary primitives (output dtype `bool`, no gradient), in WGSL code order. */
export const COMPARISON_OP_SPECS = {
  eq: { fn: "eq" },
  ne: { fn: "ne" },
  lt: { fn: "lt" },
  le: { fn: "le" },
  gt: { fn: "gt" },
  ge: { fn: "ge" },
} as const;
/** The name of a binary arithmetic primitive. */
export type ArithmeticOp = keyof typeof ARITHMETIC_OP_SPECS;
/** The name of a comparison primitive. */
export type ComparisonOp = keyof typeof COMPARISON_OP_SPECS;
/** The name of any binary element-wise primitive. */
export type BinaryOp = ArithmeticOp | ComparisonOp;
/** Arithmetic binary primitives, in code order. */
export const ARITHMETIC_OPS = Object.keys(ARITHMETIC_OP_SPECS) as readonly ArithmeticOp[];
/** Comparison binary primitives, in code order. */
export const COMPARISON_OPS = Object.keys(COMPARISON_OP_SPECS) as readonly ComparisonOp[];
/** Every binary element-wise primitive. */
export const BINARY_OPS: readonly BinaryOp[] = [...ARITHMETIC_OPS, ...COMPARISON_OPS];

/** Reductions over a set of dims (kept as size-1 dims), in WGSL code order. */
export const REDUCE_OPS = ["sum", "prod", "max", "min"] as const;
/** The name of a reduction primitive. */
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Index reductions over one dim (0-based indices, dtype i32), in WGSL code order. */
export const ARG_REDUCE_OPS = ["argmax", "argmin"] as const;
/** The name of an index reduction. */
export type ArgReduceOp = (typeof ARG_REDUCE_OPS)[number];

/** Pooling kinds. */
export const POOL_OPS = ["max", "mean"] as const;
/** The name of a pooling kind. */
export type PoolOp = (typeof POOL_OPS)[number];

/** Whether a binary op returns bool. */
export function isComparison(op: BinaryOp): op is ComparisonOp {
  return op in COMPARISON_OP_SPECS;
}

/**
 * The op code a kernel switches on: the op's position in its list (the generated WGSL constants hold the
 * same numbers).
 */
export function opCode<T extends string>(ops: readonly T[], op: T): number {
  const code = ops.indexOf(op);
  if (code < 0) throw new Error(`[@flux/kernels] internal error: no op code for "${op}"`);
  return code;
}
