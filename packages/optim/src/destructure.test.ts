import { functor, trainableFields } from "@flux/functors";
import { type Tensor, gradient, mul, sum, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { OptimStructureError, destructure } from "./index.js";

const vals = (t: Tensor) => Array.from(t.dataSync());

class Norm {
  constructor(
    public gamma: Tensor,
    public running: Tensor,
  ) {}
}
trainableFields(Norm, ["gamma"]);
class Layer {
  constructor(
    public w: Tensor,
    public act: string,
  ) {}
}
functor(Layer, ["w"]);

describe("destructure", () => {
  it("flattens trainable float tensors (column-major, ties once) and rebuilds them", () => {
    const w = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const model = { a: new Layer(w, "relu"), tied: w, n: new Norm(tensor([7], [1]), tensor([9], [1])), k: 3 };
    const [flat, re] = destructure(model);
    expect(vals(flat)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(re.paramCount).toBe(7);
    const m2 = re(tensor([10, 20, 30, 40, 50, 60, 70], [7]));
    expect(m2.a).toBeInstanceOf(Layer);
    expect(m2.a.act).toBe("relu");
    expect(m2.a.w.shape).toEqual([3, 2]);
    expect(vals(m2.a.w)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(m2.tied).toBe(m2.a.w);
    expect(vals(m2.n.gamma)).toEqual([70]);
    expect(m2.n.running).toBe(model.n.running); // not trainable: kept
    expect(m2.k).toBe(3);
    expect(vals(model.a.w)).toEqual([1, 2, 3, 4, 5, 6]); // the original is untouched
  });

  it("round-trips, promotes dtypes for the vector and restores each parameter's dtype", () => {
    const model = { a: tensor([1.5], [1], { dtype: "f32" }), b: tensor([2.25, 3], [2], { dtype: "f64" }) };
    const [flat, re] = destructure(model);
    expect(flat.dtype).toBe("f64");
    const back = re(flat);
    expect(back.a.dtype).toBe("f32");
    expect(vals(back.a)).toEqual([1.5]);
    expect(vals(back.b)).toEqual([2.25, 3]);
  });

  it("restructure is differentiable and checks its input", () => {
    const model = { w: tensor([1, 2], [2]), b: tensor([3], [1]) };
    const [flat, re] = destructure(model);
    const [g] = gradient((v: Tensor) => {
      const m = re(v);
      return sum(mul(mul(m.w, m.w), m.b));
    }, flat) as Tensor[];
    expect(vals(g!)).toEqual([6, 12, 5]);
    expect(() => re(tensor([1, 2], [2]))).toThrow(OptimStructureError);
  });

  it("gives an empty vector for a model with nothing trainable", () => {
    const [flat, re] = destructure({ n: 1 });
    expect(flat.size).toBe(0);
    expect(re(flat)).toEqual({ n: 1 });
  });
});
