// Grad<T> is checked by the compiler (`tsc -p packages/kernels` includes this file); the run-time lines
// check that the declared shape is what gradient/withgradient return.
import { describe, expect, expectTypeOf, it } from "vitest";
import { tensor } from "../ops/creation.js";
import { mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { isTensor, type Tensor } from "../tensor.js";
import { type Grad, type GradTree, gradient, withgradient } from "./gradient.js";

class Layer {
  constructor(
    readonly weight: Tensor,
    readonly scale: number,
  ) {}
  forward(x: Tensor): Tensor {
    return mul(this.weight, x);
  }
}

describe("gradient types follow the arguments", () => {
  it("a tensor gives a tensor, an object its fields' gradients (methods left out)", () => {
    const model = { layers: [new Layer(tensor([1, 2], [2]), 3)], name: "m" };
    const x = tensor([3, 4], [2]);
    const { val, grad } = withgradient((m, xs) => sum(m.layers[0]!.forward(xs)), model, x);
    expectTypeOf(grad).toEqualTypeOf<[{ layers: { weight: Tensor; scale: null }[]; name: null }, Tensor]>();
    expect(isTensor(grad[0].layers[0]!.weight)).toBe(true);
    expect(grad[0].layers[0]!.scale).toBeNull();
    expect(grad[0].name).toBeNull();
    expect(Array.from(grad[1].dataSync())).toEqual([1, 2]);
    for (const t of [val, grad[0].layers[0]!.weight, grad[1]]) t.dispose();
  });

  it("unknown arguments give the general tree", () => {
    const [g] = gradient((w: unknown) => sum(w as Tensor), tensor([1], [1]) as unknown);
    expectTypeOf(g).toEqualTypeOf<GradTree>();
    expectTypeOf<Grad>().toEqualTypeOf<GradTree>();
    expectTypeOf<Grad<Map<string, Tensor>>>().toEqualTypeOf<Map<string, Tensor>>();
    (g as Tensor).dispose();
  });
});
