import { describe, expect, it } from "vitest";
import { GradientError } from "../errors.js";
import { memory } from "../memory.js";
import { tensor, zeros, randn } from "../ops/creation.js";
import { add, mul, sub } from "../ops/elementwise.js";
import { matmul } from "../ops/matmul.js";
import { mean, sum } from "../ops/reduce.js";
import { relu, square, tanh } from "../ops/unary.js";
import { rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { gradient, withgradient } from "./gradient.js";

const arr = (t: unknown) => Array.from((t as Tensor).dataSync());

describe("gradient", () => {
  it("differentiates sum(x .* x) to 2x", () => {
    const x = tensor([1, 2, 3], [3]);
    const [g] = gradient((v: Tensor) => sum(mul(v, v)), x);
    expect(arr(g)).toEqual([2, 4, 6]);
  });

  it("returns one tree per argument with null where nothing is differentiable", () => {
    const m = { W: tensor([1, 2, 3, 4], [2, 2]), b: zeros([2]), act: relu, n: 3 };
    const x = tensor([1, 1], [2]);
    const [gm, gx] = gradient((mm: typeof m, xx: Tensor) => sum(add(matmul(mm.W, xx), mm.b)), m, x) as [
      Record<string, unknown>,
      Tensor,
    ];
    expect(arr(gm.W)).toEqual([1, 1, 1, 1]);
    expect(arr(gm.b)).toEqual([1, 1]);
    expect(gm.act).toBeNull();
    expect(gm.n).toBeNull();
    // d/dx sum(W x) = W' * 1 = column sums of W
    expect(arr(gx)).toEqual([3, 7]);
  });

  it("gives tied tensors the summed gradient, the same object at both places", () => {
    const w = tensor([1, 2], [2]);
    const model = { a: w, b: w };
    const [g] = gradient((mm: typeof model) => sum(add(mul(mm.a, 3), mm.b)), model) as [
      Record<string, Tensor>,
    ];
    expect(g.a).toBe(g.b);
    expect(arr(g.a)).toEqual([4, 4]);
  });

  it("rejects non-scalar results and Promises", () => {
    const x = tensor([1, 2], [2]);
    expect(() => gradient((v: Tensor) => v, x)).toThrow(GradientError);
    expect(() => gradient(async (v: Tensor) => sum(v), x)).toThrow(/Promise/);
  });

  it("leaves nothing alive but the results", () => {
    const W = randn([4, 3], { rng: rng(1) });
    const x = randn([3, 5], { rng: rng(2) });
    const before = memory().liveTensors;
    const { val, grad } = withgradient((w: Tensor) => mean(square(tanh(sub(matmul(w, x), 1)))), W);
    expect(memory().liveTensors).toBe(before + 2);
    expect(Number.isFinite(val.itemSync())).toBe(true);
    (grad[0] as Tensor).dispose();
    val.dispose();
    expect(memory().liveTensors).toBe(before);
  });
});
