// Values and gradients at the edges of their domains, checked against Julia's (Base, ChainRules/Zygote)
// answers worked out by hand: zeros in prod, a zero base in pow, extrema of empty slices, activations at
// ±Infinity.
import { describe, expect, it } from "vitest";
import { gradient } from "../autodiff/gradient.js";
import { ArgumentError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { tensor } from "./creation.js";
import { add, mul, pow, where } from "./elementwise.js";
import { biasAct, dense, muladd } from "./fused.js";
import { memory } from "../memory.js";
import { elu, leakyrelu, relu, sign, softplus } from "./unary.js";
import { argmax, argmin, max, min, prod, sum } from "./reduce.js";

const f64 = (data: number[], shape: number[]) => tensor(data, shape, { dtype: "f64" });
const values = (t: Tensor) => Array.from(t.dataSync() as Float64Array);

describe("prod's gradient where x holds zeros (ChainRules' ∇prod: the product of the other elements)", () => {
  it("one zero in a column: the zero gets the product of the rest, the others 0", () => {
    // x = [2 0 3; 1 4 5] (2×3), prod over dims 1 = [2 0 15]
    const x = f64([2, 1, 0, 4, 3, 5], [2, 3]);
    const [g] = gradient((x: Tensor) => sum(prod(x, { dims: 1 })), x) as [Tensor];
    expect(values(g)).toEqual([1, 2, 4, 0, 5, 3]);
  });

  it("one zero over everything, and two zeros in a row (all 0)", () => {
    const x = f64([2, 1, 0, 4, 3, 5], [2, 3]);
    const [gAll] = gradient((x: Tensor) => prod(x), x) as [Tensor];
    expect(values(gAll)).toEqual([0, 0, 2 * 1 * 4 * 3 * 5, 0, 0, 0]);
    const y = f64([0, 1, 0, 4, 3, 0], [2, 3]); // row 1 = [0 0 3], row 2 = [1 4 0]
    const w = f64([1, 10], [2, 1]);
    const [gRows] = gradient((y: Tensor) => sum(mul(prod(y, { dims: 2 }), w)), y) as [Tensor];
    expect(values(gRows)).toEqual([0, 0, 0, 0, 0, 40]);
  });

  it("without zeros it is still g * prod / x, and a lone 0 gets 1", () => {
    const x = f64([2, 3, 4], [3]);
    expect(values((gradient((x: Tensor) => prod(x), x) as [Tensor])[0])).toEqual([12, 8, 6]);
    const z = f64([0], [1]);
    expect(values((gradient((z: Tensor) => prod(z), z) as [Tensor])[0])).toEqual([1]);
  });
});

describe("pow's gradient at a zero base (ChainRules' limits instead of 0 * Inf)", () => {
  it("d/db of 0^b is 0 for b > 0; d/da of a^0 is 0", () => {
    const a = f64([0, 0, 0, 2], [4]);
    const b = f64([2, 0.5, 0, 3], [4]);
    const [ga, gb] = gradient((a: Tensor, b: Tensor) => sum(pow(a, b)), a, b) as [Tensor, Tensor];
    expect(values(ga)).toEqual([0, Number.POSITIVE_INFINITY, 0, 12]);
    expect(values(gb)).toEqual([0, 0, 0, 8 * Math.log(2)]);
  });

  it("keeps NaN where Julia's is undefined (0^b for b < 0) and the ordinary values elsewhere", () => {
    const a = f64([0, 3], [2]);
    const b = f64([-1, 2], [2]);
    const [, gb] = gradient((a: Tensor, b: Tensor) => sum(pow(a, b)), a, b) as [Tensor, Tensor];
    const v = values(gb);
    expect(v[0]).toBeNaN();
    expect(v[1]).toBeCloseTo(9 * Math.log(3), 12);
  });
});

describe("extrema of empty slices are refused (Julia: reducing over an empty collection is not allowed)", () => {
  const empty = () => f64([], [0, 3]);
  it.each([
    ["max", () => max(empty())],
    ["min", () => min(empty(), { dims: 1 })],
    ["argmax", () => argmax(empty())],
    ["argmin", () => argmin(empty(), 1)],
  ])("%s over an empty dim throws ArgumentError", (_name, run) => {
    expect(run).toThrow(ArgumentError);
    expect(run).toThrow(/holds no elements/);
  });

  it("an empty result stays allowed: max over a non-empty dim of a 0×3 tensor is 0×1", () => {
    expect(max(empty(), { dims: 2 }).shape).toEqual([0, 1]);
    expect(argmax(empty(), 2).shape).toEqual([0, 1]);
    expect(argmax(empty(), 3).shape).toEqual([0, 3]);
  });
});

describe("activations at ±Infinity take NNlib's limits (the WebGPU kernels already did)", () => {
  const inf = Number.POSITIVE_INFINITY;
  it.each(["f32", "f64"] as const)("leakyrelu, elu and softplus in %s", (dtype) => {
    const x = () => tensor([inf, -inf, 2, -1], [4], { dtype });
    const l = Array.from(leakyrelu(x()).dataSync());
    expect(l.slice(0, 3)).toEqual([inf, -inf, 2]);
    expect(l[3]).toBeCloseTo(-0.01, 6);
    const e = Array.from(elu(x()).dataSync());
    expect(e.slice(0, 3)).toEqual([inf, -1, 2]);
    expect(e[3]).toBeCloseTo(Math.expm1(-1), 6);
    const s = Array.from(softplus(x()).dataSync());
    expect(s.slice(0, 2)).toEqual([inf, 0]);
    expect(s[2]).toBeCloseTo(Math.log1p(Math.exp(2)), 6);
  });

  it("elu's gradient is 1 at Infinity and 0 at -Infinity", () => {
    const x = f64([inf, -inf, 1], [3]);
    const [g] = gradient((x: Tensor) => sum(elu(x)), x) as [Tensor];
    expect(values(g)).toEqual([1, 0, 1]);
  });
});

describe("relu(-Infinity) is 0 (NNlib's max(x, 0)) on every CPU route, as on WebGPU", () => {
  const ninf = Number.NEGATIVE_INFINITY;
  // lengths below and above the SIMD thresholds (16k elements for relu, whole planes for a channel bias)
  it.each([
    ["f32", 8],
    ["f32", 20000],
    ["f64", 8],
  ] as const)("relu, muladd and biasAct in %s over %i elements", (dtype, n) => {
    const data = new Array<number>(n).fill(1);
    data[0] = ninf;
    data[n - 1] = Number.NaN;
    const x = tensor(data, [n], { dtype });
    const one = tensor([1], [1], { dtype });
    const zero = tensor([0], [1], { dtype });
    for (const y of [relu(x), muladd(one, x, zero, { activation: "relu" }), biasAct("relu", x, zero)]) {
      const v = y.dataSync();
      expect([v[0], v[1]]).toEqual([0, 1]);
      expect(v[n - 1]).toBeNaN();
    }
  });

  it("a channel bias over [W, H, C, N] and a dense layer", () => {
    const W = 64;
    const data = new Array<number>(W * W * 2).fill(0.5);
    data[0] = ninf;
    data[W * W] = ninf; // the first element of the second channel
    const x = tensor(data, [W, W, 2, 1]);
    const y = biasAct("relu", x, tensor([1, -1], [1, 1, 2, 1])).dataSync();
    expect([y[0], y[1], y[W * W], y[W * W + 1]]).toEqual([0, 1.5, 0, 0]);
    const d = dense(tensor([ninf, 2], [1, 2]), tensor([1], [1, 1]), null, "relu").dataSync();
    expect(Array.from(d)).toEqual([0, 2]);
  });
});

describe("sign", () => {
  it.each(["f32", "f64"] as const)("sign(NaN) is NaN in %s, as Julia's", (dtype) => {
    const v = Array.from(
      sign(tensor([Number.NaN, -2, 0, 3, Number.NEGATIVE_INFINITY], [5], { dtype })).dataSync(),
    );
    expect(v[0]).toBeNaN();
    expect(v.slice(1)).toEqual([-1, 0, 1, -1]);
  });
});

describe("an f32 operand promoted to f64 keeps its gradient (in its own dtype)", () => {
  it.each([
    ["add", (a: Tensor, b: Tensor) => sum(add(a, b)), [1, 1], [1, 1]],
    ["mul", (a: Tensor, b: Tensor) => sum(mul(a, b)), [3, 4], [1, 2]],
    ["where", (a: Tensor, b: Tensor) => sum(where(tensor([true, false], [2]), a, b)), [1, 0], [0, 1]],
    ["muladd", (a: Tensor, b: Tensor) => sum(muladd(a, b, 1)), [3, 4], [1, 2]],
  ] as const)("%s", (_name, f, wantA, wantB) => {
    const a = tensor([1, 2], [2]);
    const b = f64([3, 4], [2]);
    const live = memory().liveTensors;
    const [ga, gb] = gradient(f, a, b) as [Tensor | null, Tensor | null];
    expect(ga?.dtype).toBe("f32");
    expect(Array.from(ga?.dataSync() ?? [])).toEqual(wantA);
    expect(gb?.dtype).toBe("f64");
    expect(Array.from(gb?.dataSync() ?? [])).toEqual(wantB);
    ga?.dispose();
    gb?.dispose();
    expect(memory().liveTensors).toBe(live);
  });
});
