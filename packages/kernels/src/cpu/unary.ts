// Unary element-wise kernels. One tight loop per op (a shared loop with a callback would go megamorphic and
// run several times slower). Activations are written branch-free (Math.max/Math.min/Math.sign instead of
// `v > 0 ? ...`): PLATFORM.md measured the ternary 9x slower on random signs.
import type { TypedArray } from "../dtype.js";
import type { UnaryOp } from "../opNames.js";

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Writes `op(x)` into `out` (same length). */
export function unaryInto(op: UnaryOp, x: TypedArray, out: TypedArray, a: number): void {
  const n = x.length;
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -x[i]!;
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
      return;
    case "sign":
      for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]!);
      return;
    case "square":
      for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]!;
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
      return;
    case "log":
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
      return;
    case "rsqrt":
      for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]!);
      return;
    case "reciprocal":
      for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
      return;
    case "log1p":
      for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]!);
      return;
    case "expm1":
      for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i]!);
      return;
    case "sin":
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]!);
      return;
    case "cos":
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]!);
      return;
    case "floor":
      for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]!);
      return;
    case "ceil":
      for (let i = 0; i < n; i++) out[i] = Math.ceil(x[i]!);
      return;
    case "round":
      for (let i = 0; i < n; i++) out[i] = roundHalfEven(x[i]!);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
      return;
    case "relu":
      for (let i = 0; i < n; i++) out[i] = Math.max(x[i]!, 0);
      return;
    case "leakyrelu":
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = Math.max(v, 0) + a * Math.min(v, 0);
      }
      return;
    case "elu":
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = Math.max(v, 0) + a * Math.expm1(Math.min(v, 0));
      }
      return;
    case "gelu":
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_K * v * v * v)));
      }
      return;
    case "softplus":
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
      }
      return;
    case "swish":
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        out[i] = v / (1 + Math.exp(-v));
      }
      return;
    default:
      throw new Error(`[@flux/kernels] cpu: unknown unary op ${String(op satisfies never)}`);
  }
}

/** Writes `dy .* op'(x)` into `out`, given input `x` and forward output `y`. */
export function unaryGradInto(
  op: UnaryOp,
  x: TypedArray,
  y: TypedArray,
  dy: TypedArray,
  out: TypedArray,
  a: number,
): void {
  const n = x.length;
  switch (op) {
    case "neg":
      for (let i = 0; i < n; i++) out[i] = -dy[i]!;
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = dy[i]! * Math.sign(x[i]!);
      return;
    case "sign":
    case "floor":
    case "ceil":
    case "round":
      out.fill(0);
      return;
    case "square":
      for (let i = 0; i < n; i++) out[i] = 2 * x[i]! * dy[i]!;
      return;
    case "exp":
      for (let i = 0; i < n; i++) out[i] = y[i]! * dy[i]!;
      return;
    case "log":
      for (let i = 0; i < n; i++) out[i] = dy[i]! / x[i]!;
      return;
    case "sqrt":
      for (let i = 0; i < n; i++) out[i] = (0.5 * dy[i]!) / y[i]!;
      return;
    case "rsqrt":
      for (let i = 0; i < n; i++) out[i] = -0.5 * dy[i]! * y[i]! * y[i]! * y[i]!;
      return;
    case "reciprocal":
      for (let i = 0; i < n; i++) out[i] = -dy[i]! * y[i]! * y[i]!;
      return;
    case "log1p":
      for (let i = 0; i < n; i++) out[i] = dy[i]! / (1 + x[i]!);
      return;
    case "expm1":
      for (let i = 0; i < n; i++) out[i] = dy[i]! * (y[i]! + 1);
      return;
    case "sin":
      for (let i = 0; i < n; i++) out[i] = dy[i]! * Math.cos(x[i]!);
      return;
    case "cos":
      for (let i = 0; i < n; i++) out[i] = -dy[i]! * Math.sin(x[i]!);
      return;
    case "tanh":
      for (let i = 0; i < n; i++) out[i] = dy[i]! * (1 - y[i]! * y[i]!);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) out[i] = dy[i]! * y[i]! * (1 - y[i]!);
      return;
    case "relu":
      for (let i = 0; i < n; i++) out[i] = dy[i]! * Math.max(Math.sign(x[i]!), 0);
      return;
    case "leakyrelu":
      for (let i = 0; i < n; i++) {
        const s = Math.max(Math.sign(x[i]!), 0);
        out[i] = dy[i]! * (s + a * (1 - s));
      }
      return;
    case "elu":
      for (let i = 0; i < n; i++) {
        const s = Math.max(Math.sign(x[i]!), 0);
        out[i] = dy[i]! * (s + (1 - s) * (y[i]! + a));
      }
      return;
    case "gelu":
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        const t = Math.tanh(GELU_C * (v + GELU_K * v * v * v));
        out[i] = dy[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * v * v));
      }
      return;
    case "softplus":
      for (let i = 0; i < n; i++) out[i] = dy[i]! / (1 + Math.exp(-x[i]!));
      return;
    case "swish":
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        const s = 1 / (1 + Math.exp(-v));
        out[i] = dy[i]! * s * (1 + v * (1 - s));
      }
      return;
    default:
      throw new Error(`[@flux/kernels] cpu: unknown unary op ${String(op satisfies never)}`);
  }
}
