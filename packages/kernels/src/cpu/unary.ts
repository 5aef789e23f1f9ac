// Unary element-wise kernels. One tight loop per op (a shared loop with a callback would go megamorphic and
// run several times slower). Activations are branch-free: PLATFORM.md measured `v > 0 ? v : 0` 9x slower on
// random signs, and here (Node 20, 1M f32) Math.max(v, 0) and Math.sign ran 5x slower than the forms used
// below, `0.5 * (v + |v|)` for max(v, 0) and `+(v > 0)` for the step function (6.8 ms vs 1.4-1.9 ms).
import type { TypedArray } from "../dtype.js";
import type { UnaryOp } from "../opNames.js";
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
      out[i] = +(v > 0) - +(v < 0);
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
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!);
  },
  sigmoid: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-x[i]!));
  },
  relu: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = 0.5 * (v + Math.abs(v));
    }
  },
  leakyrelu: (x: TypedArray, out: TypedArray, a: number) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const p = 0.5 * (v + Math.abs(v));
      out[i] = p + a * (v - p);
    }
  },
  elu: (x: TypedArray, out: TypedArray, a: number) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const p = 0.5 * (v + Math.abs(v));
      out[i] = p + a * Math.expm1(v - p);
    }
  },
  gelu: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + GELU_K * v * v * v)));
    }
  },
  softplus: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const av = Math.abs(v);
      out[i] = Math.log1p(Math.exp(-av)) + 0.5 * (v + av);
    }
  },
  swish: (x: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v / (1 + Math.exp(-v));
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
      out[i] = dy[i]! * (s + (1 - s) * (y[i]! + a));
    }
  },
  gelu: (x: TypedArray, _y: TypedArray, dy: TypedArray, out: TypedArray) => {
    const n = x.length;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      const t = Math.tanh(GELU_C * (v + GELU_K * v * v * v));
      out[i] = dy[i]! * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * v * v));
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
};

/** Writes `op(x)` into `out` (same length). */
export function unaryInto(op: UnaryOp, x: TypedArray, out: TypedArray, a: number): void {
  // relu over large f32 arrays: wasm SIMD, bit-identical to the loop below (see assembly/affine.ts relu1).
  if (op === "relu" && reluSimd(x, out)) return;
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
  BACKWARD[op](x, y, dy, out, a);
}
