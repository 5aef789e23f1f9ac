// Broadcasting binary arithmetic and comparisons (Julia's `.+ .- .* ./ .^`, `max.`, `min.`, `.== .< ...`).
import type { Backend } from "../backend.js";
import { type DType, promoteTypes } from "../dtype.js";
import { record } from "../autodiff/tape.js";
import { ArgumentError } from "../errors.js";
import { type ArithmeticOp, type BinaryOp, type ComparisonOp, isComparison } from "../opNames.js";
import { broadcastShapes } from "../shape.js";
import { type Tensor, isTensor } from "../tensor.js";
import { backendOf, castRaw, operandAs, requireSupported, scalarOn, wrap } from "./core.js";
import { unbroadcast } from "./unbroadcast.js";

/** A tensor, or a JS number that takes the other operand's dtype and device. */
export type Operand = Tensor | number;

interface Prepared {
  backend: Backend;
  a: Tensor;
  b: Tensor;
  dtype: DType;
  temps: Tensor[];
}

const ARITHMETIC_ON_BOOL: ReadonlySet<string> = new Set(["add", "sub", "mul", "div", "pow"]);

function prepare(op: string, x: Operand, y: Operand): Prepared {
  if (!isTensor(x) && !isTensor(y)) {
    throw new ArgumentError(
      `${op}: at least one operand must be a Tensor (got two numbers); use plain JS math.`,
    );
  }
  const ref = (isTensor(x) ? x : y) as Tensor;
  const backend = isTensor(x) && isTensor(y) ? backendOf(op, x, y) : backendOf(op, ref);
  const common = isTensor(x) && isTensor(y) ? promoteTypes(x.dtype, y.dtype) : ref.dtype;
  // Arithmetic on booleans counts, as in Julia (true + true == 2): a bool result could not hold 2.
  const dtype = common === "bool" && ARITHMETIC_ON_BOOL.has(op) ? "i32" : common;
  const temps: Tensor[] = [];
  const operand = operandAs(op, backend, dtype, temps, true);
  requireSupported(op, backend, dtype);
  return { backend, a: operand(x), b: operand(y), dtype, temps };
}

function raw(backend: Backend, op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, op);
  const dtype = isComparison(op) ? "bool" : a.dtype;
  return wrap(backend, backend.binary(op, a.view(op), b.view(op), shape), shape, dtype);
}

/** @internal A binary primitive on tensors of one dtype, without autodiff (used inside backward passes). */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  return raw(a.backend, op, a, b);
}

/** @internal `cond ? a : 0` without autodiff. */
export function maskRaw(g: Tensor, cond: Tensor): Tensor {
  const b = g.backend;
  const zero = scalarOn(b, 0, g.dtype);
  const shape = broadcastShapes(g.shape, cond.shape, "mask");
  const out = wrap(b, b.where(cond.view("mask"), g.view("mask"), zero.view("mask"), shape), shape, g.dtype);
  zero.dispose();
  return out;
}

function arithmetic(op: ArithmeticOp, x: Operand, y: Operand): Tensor {
  const { backend, a, b, temps } = prepare(op, x, y);
  const out = raw(backend, op, a, b);
  const recorded = record([a, b], out, (g, needs) => arithmeticVjp(op, a, b, out, g, needs));
  // Temporaries (scalars, casts) must live until the backward pass if recorded: the gradient's scope frees them.
  if (!recorded) for (const t of temps) t.dispose();
  return out;
}

function arithmeticVjp(
  op: ArithmeticOp,
  a: Tensor,
  b: Tensor,
  out: Tensor,
  g: Tensor,
  needs: readonly boolean[],
) {
  const ga = (f: () => Tensor) => (needs[0] ? unbroadcastOwned(f(), a) : null);
  const gb = (f: () => Tensor) => (needs[1] ? unbroadcastOwned(f(), b) : null);
  switch (op) {
    case "add":
      return [ga(() => g), gb(() => g)];
    case "sub":
      return [ga(() => g), gb(() => neg(g))];
    case "mul":
      return [ga(() => binaryRaw("mul", g, b)), gb(() => binaryRaw("mul", g, a))];
    case "div":
      // d(a/b)/db = -a/b² = -out/b
      return [ga(() => binaryRaw("div", g, b)), gb(() => neg(binaryRaw("div", binaryRaw("mul", g, out), b)))];
    case "pow": {
      // d(a^b)/da = b a^(b-1); d(a^b)/db = a^b log(a) (NaN for a < 0, as Zygote). At a = 0 ChainRules takes
      // the limits: d/da is 0 where b = 0 (a^0 is constant; b a^(b-1) would be 0 * Inf), d/db is 0 where
      // b >= 0 (a^b log(a) would be 0 * -Inf); log(a) is taken of a with its zeros replaced by 1.
      return [
        ga(() =>
          maskRaw(
            binaryRaw(
              "mul",
              g,
              binaryRaw("mul", b, binaryRaw("pow", a, binaryRaw("sub", b, scalarOn(b.backend, 1, b.dtype)))),
            ),
            binaryRaw("ne", b, scalarOn(b.backend, 0, b.dtype)),
          ),
        ),
        gb(() => binaryRaw("mul", binaryRaw("mul", g, out), logRaw(zerosToOne(a)))),
      ];
    }
    case "max":
      // ties go to the first operand (ForwardDiff's max picks x when x >= y)
      return [ga(() => maskRaw(g, binaryRaw("ge", a, b))), gb(() => maskRaw(g, binaryRaw("lt", a, b)))];
    case "min":
      return [ga(() => maskRaw(g, binaryRaw("le", a, b))), gb(() => maskRaw(g, binaryRaw("gt", a, b)))];
  }
}

/** `a` with its zeros replaced by 1, without autodiff. */
function zerosToOne(a: Tensor): Tensor {
  const b = a.backend;
  const isZero = binaryRaw("eq", a, scalarOn(b, 0, a.dtype));
  return wrap(
    b,
    b.where(isZero.view("pow"), scalarOn(b, 1, a.dtype).view("pow"), a.view("pow"), a.shape),
    a.shape,
    a.dtype,
  );
}

function logRaw(a: Tensor): Tensor {
  return wrap(a.backend, a.backend.unary("log", a.view("pow"), 0), a.shape, a.dtype);
}

function unbroadcastOwned(t: Tensor, like: Tensor): Tensor {
  return unbroadcast(t, like.shape);
}

/** @internal Negation without autodiff. */
function neg(g: Tensor): Tensor {
  return wrap(g.backend, g.backend.unary("neg", g.view("neg"), 0), g.shape, g.dtype);
}

function comparison(op: ComparisonOp, x: Operand, y: Operand): Tensor {
  const { backend, a, b, temps } = prepare(op, x, y);
  const out = raw(backend, op, a, b);
  for (const t of temps) t.dispose();
  return out;
}

/**
 * Element-wise `a .+ b` with Julia broadcasting (dims compared from the first; missing trailing dims are 1).
 *
 * A JS number operand takes the tensor's dtype (an integer tensor refuses a number it cannot hold with an
 * `ArgumentError`). Mixed dtypes compute in the wider one (`promoteTypes`).
 *
 * @example
 * add(tensor([1, 2, 3], [3]), 1); // [2, 3, 4]
 * add(zeros([3, 4]), ones([3]));  // the column spreads over 4 columns
 */
export function add(a: Operand, b: Operand): Tensor {
  return arithmetic("add", a, b);
}
/** Element-wise `a .- b` (broadcasting). @example sub(ones([2]), 1); // [0, 0] */
export function sub(a: Operand, b: Operand): Tensor {
  return arithmetic("sub", a, b);
}
/** Element-wise `a .* b` (broadcasting). @example mul(tensor([1, 2], [2]), 3); // [3, 6] */
export function mul(a: Operand, b: Operand): Tensor {
  return arithmetic("mul", a, b);
}
/** Element-wise `a ./ b` (broadcasting; integer tensors truncate). @example div(ones([2]), 4); // [0.25, 0.25] */
export function div(a: Operand, b: Operand): Tensor {
  return arithmetic("div", a, b);
}
/** Element-wise `a .^ b` (broadcasting). @example pow(tensor([2, 3], [2]), 2); // [4, 9] */
export function pow(a: Operand, b: Operand): Tensor {
  return arithmetic("pow", a, b);
}
/** Element-wise `max.(a, b)`; the gradient goes to `a` on ties. @example maximum(tensor([1, 5], [2]), 3); // [3, 5] */
export function maximum(a: Operand, b: Operand): Tensor {
  return arithmetic("max", a, b);
}
/** Element-wise `min.(a, b)`; the gradient goes to `a` on ties. @example minimum(tensor([1, 5], [2]), 3); // [1, 3] */
export function minimum(a: Operand, b: Operand): Tensor {
  return arithmetic("min", a, b);
}
/** Element-wise `a .== b` → bool. @example eq(tensor([1, 2], [2]), 2); // [false, true] */
export function eq(a: Operand, b: Operand): Tensor {
  return comparison("eq", a, b);
}
/** Element-wise `a .!= b` → bool. @example ne(tensor([1, 2], [2]), 2); // [true, false] */
export function ne(a: Operand, b: Operand): Tensor {
  return comparison("ne", a, b);
}
/** Element-wise `a .< b` → bool. @example lt(tensor([1, 2], [2]), 2); // [true, false] */
export function lt(a: Operand, b: Operand): Tensor {
  return comparison("lt", a, b);
}
/** Element-wise `a .<= b` → bool. @example le(tensor([1, 2], [2]), 2); // [true, true] */
export function le(a: Operand, b: Operand): Tensor {
  return comparison("le", a, b);
}
/** Element-wise `a .> b` → bool. @example gt(tensor([1, 2], [2]), 1); // [false, true] */
export function gt(a: Operand, b: Operand): Tensor {
  return comparison("gt", a, b);
}
/** Element-wise `a .>= b` → bool. @example ge(tensor([1, 2], [2]), 2); // [false, true] */
export function ge(a: Operand, b: Operand): Tensor {
  return comparison("ge", a, b);
}

/**
 * `ifelse.(cond, a, b)`: picks `a` where `cond` is true, else `b`, broadcasting all three.
 *
 * Differentiable in `a` and `b` (the cotangent goes to the picked side).
 *
 * @example
 * where(gt(x, 0), x, 0); // relu by hand
 */
export function where(cond: Tensor, x: Operand, y: Operand): Tensor {
  const { backend, a, b, temps } = prepare("where", x, y);
  backendOf("where", cond, a);
  const c = cond.dtype === "bool" ? cond : castRaw(cond, "bool", "where");
  if (c !== cond) temps.push(c);
  const shape = broadcastShapes(broadcastShapes(c.shape, a.shape, "where"), b.shape, "where");
  const out = wrap(
    backend,
    backend.where(c.view("where"), a.view("where"), b.view("where"), shape),
    shape,
    a.dtype,
  );
  const recorded = record([a, b], out, (g, needs) => {
    const notC = needs[1] ? binaryRaw("eq", c, scalarOn(backend, 0, "bool")) : null;
    return [
      needs[0] ? unbroadcast(maskRaw(g, c), a.shape) : null,
      notC ? unbroadcast(maskRaw(g, notC), b.shape) : null,
    ];
  });
  if (!recorded) for (const t of temps) t.dispose();
  return out;
}
