// Unary element-wise kernels. One tight loop per op (a shared loop with a callback would go megamorphic and
// run several times slower). Activations are branch-free: we measured `v > 0 ? v : 0` 9x slower on
// random signs, and here (Node 20, 1M f32) Math.max(v, 0) and Math.sign ran 5x slower than the forms used
// below, `0.5 * (v + |v|)` for max(v, 0) and `+(v > 0)` for the step function (6.8 ms vs 1.4-1.9 ms).
import type { TypedArray } from "../dtype.js";
import type { UnaryOp } from "../opNames.js";
import { geluGradSimd, geluSimd } from "./wasm/activationSimd.js";
import { reluGradSimd, reluSimd } from "./wasm/elementwiseSimd.js";

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// One small function per op keeps each loop monomorphic in the op (a shared switch-based function grew too
// large to optimise well); `a` is leakyrelu's slope / elu's alpha.
const FORWARD: Record<UnaryOp, (x: TypedArray, out: TypedArray, a: number) => void> = {
  neg: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = -x[i]!;
  },
  abs: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!);
  },
  sign: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // Julia's sign(NaN) is NaN (the comparisons alone give 0); a branch never taken on other data
      out[i] = Number.isNaN(v) ? v : +(v > 0) - +(v < 0);
    }
  },
  square: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = x[i]! * x[i]!;
  },
  exp: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!);
  },
  log: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!);
  },
  sqrt: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!);
  },
  rsqrt: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]!);
  },
  reciprocal: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = 1 / x[i]!;
  },
  log1p: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]!);
  },
  expm1: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i]!);
  },
  sin: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]!);
  },
  cos: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]!);
  },
  floor: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]!);
  },
  ceil: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.ceil(x[i]!);
  },
  round: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = roundHalfEven(x[i]!);
  },
  tanh: (x: TypedArray, out: TypedArray) => {
    // tanh(v) = 1 - 2 / (1 + e^{2v}): Math.exp is ~1.5x faster than Math.tanh in V8. The subtraction loses
    // relative precision only for tiny |v| (absolute error ~1e-16), where the Taylor series is exact to f32;
    // that branch is almost never taken, so it predicts well. ±Infinity give ±1, NaN stays NaN.
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = Math.abs(v) < 1e-4 ? v * (1 - (v * v) / 3) : 1 - 2 / (1 + Math.exp(2 * v)); // v * (...) keeps -0
    }
  },
  sigmoid: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
  },
  relu: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // branch-free but for -Infinity (a branch never taken on finite data), where -Inf + Inf would be NaN
      out[i] = v === Number.NEGATIVE_INFINITY ? 0 : 0.5 * (v + Math.abs(v));
    }
  },
  leakyrelu: (x: TypedArray, out: TypedArray, a: number) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // v scaled by 1 or a: branch-free like relu's `0.5 (v + |v|)`, which gives NaN at ±Infinity
      const s = +(v > 0);
      out[i] = v * (s + a * (1 - s));
    }
  },
  elu: (x: TypedArray, out: TypedArray, a: number) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // max/min, not `0.5 (v ± |v|)`: that is NaN at ±Infinity (NNlib: elu(Inf) = Inf, elu(-Inf) = -α)
      out[i] = Math.max(v, 0) + a * Math.expm1(Math.min(v, 0));
    }
  },
  gelu: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // 0.5 v (1 + tanh(u)) = v / (1 + e^{-2u}): the same value without Math.tanh, ~2x faster in V8. For a
      // large negative v, e^{-2u} overflows to Infinity and the quotient is -0, as the tanh form gives.
      out[i] = v / (1 + Math.exp(-2 * GELU_C * (v + GELU_K * v * v * v)));
    }
  },
  softplus: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // Math.max, not `0.5 (v + |v|)`: that is NaN at -Infinity (NNlib: softplus(-Inf) = 0)
      out[i] = Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
    }
  },
  swish: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v / (1 + Math.exp(-v));
    }
  },
  mish: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const av = Math.abs(v);
      out[i] = v * Math.tanh(Math.log1p(Math.exp(-av)) + 0.5 * (v + av));
    }
  },
};

const BACKWARD: Record<
  UnaryOp,
  (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray, a: number) => void
> = {
  neg: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = -dy[i]!;
  },
  abs: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = dy[i]! * (+(v > 0) - +(v < 0));
    }
  },
  sign: (_x: TypedArray, _y: TypedArray, _dy: TypedArray, out: TypedArray) => {
    out.fill(0);
  },
  floor: (_x: TypedArray, _y: TypedArray, _dy: TypedArray, out: TypedArray) => {
    out.fill(0);
  },
  ceil: (_x: TypedArray, _y: TypedArray, _dy: TypedArray, out: TypedArray) => {
    out.fill(0);
  },
  round: (_x: TypedArray, _y: TypedArray, _dy: TypedArray, out: TypedArray) => {
    out.fill(0);
  },
  square: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = 2 * x[i]! * dy[i]!;
  },
  exp: (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = y[i]! * dy[i]!;
  },
  log: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! / x[i]!;
  },
  sqrt: (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = (0.5 * dy[i]!) / y[i]!;
  },
  rsqrt: (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = -0.5 * dy[i]! * y[i]! * y[i]! * y[i]!;
  },
  reciprocal: (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = -dy[i]! * y[i]! * y[i]!;
  },
  log1p: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! / (1 + x[i]!);
  },
  expm1: (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! * (y[i]! + 1);
  },
  sin: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! * Math.cos(x[i]!);
  },
  cos: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = -dy[i]! * Math.sin(x[i]!);
  },
  tanh: (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! * (1 - y[i]! * y[i]!);
  },
  sigmoid: (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! * y[i]! * (1 - y[i]!);
  },
  relu: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! * +(x[i]! > 0);
  },
  leakyrelu: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray, a: number) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const s = +(x[i]! > 0);
      out[i] = dy[i]! * (s + a * (1 - s));
    }
  },
  elu: (x: TypedArray, y: TypedArray, dy: TypedArray, out: TypedArray, a: number) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const s = +(x[i]! > 0);
      // y + a = α e^x where x <= 0; min(y, 0) keeps an infinite y (x = Infinity) out of the unused branch
      out[i] = dy[i]! * (s + (1 - s) * (Math.min(y[i]!, 0) + a));
    }
  },
  gelu: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // With s = sigmoid(2u) = 0.5 (1 + tanh(u)), 1 - tanh(u)^2 = 4 s (1 - s): the derivative
      // 0.5 (1 + t) + 0.5 v (1 - t^2) u' becomes s + 2 v s (1 - s) u', with one Math.exp and no Math.tanh.
      const s = 1 / (1 + Math.exp(-2 * GELU_C * (v + GELU_K * v * v * v)));
      out[i] = dy[i]! * (s + 2 * v * s * (1 - s) * GELU_C * (1 + 3 * GELU_K * v * v));
    }
  },
  softplus: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = dy[i]! / (1 + Math.exp(-x[i]!));
  },
  swish: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const s = 1 / (1 + Math.exp(-v));
      out[i] = dy[i]! * s * (1 + v * (1 - s));
    }
  },
  // d/dx x tanh(sp(x)) = tanh(sp) + x (1 - tanh²(sp)) σ(x), with sp' = σ.
  mish: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const av = Math.abs(v);
      const t = Math.tanh(Math.log1p(Math.exp(-av)) + 0.5 * (v + av));
      out[i] = dy[i]! * (t + (v * (1 - t * t)) / (1 + Math.exp(-v)));
    }
  },
};

/** Writes `op(x)` into `out` (same length). */
export function unaryInto(op: UnaryOp, x: TypedArray, out: TypedArray, a: number): void {
  // relu over large f32 arrays: wasm SIMD, bit-identical to the loop below (see assembly/affine.ts relu1).
  if (op === "relu" && reluSimd(x, out)) return;
  // gelu over large f32 arrays: wasm SIMD with a vectorised exp (Math.exp dominates the JS loop).
  if (op === "gelu" && geluSimd(x, out)) return;
  FORWARD[op](x, out, a);
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
  if (op === "relu" && reluGradSimd(x, dy, out)) return;
  if (op === "gelu" && geluGradSimd(x, dy, out)) return;
  BACKWARD[op](x, y, dy, out, a);
}
