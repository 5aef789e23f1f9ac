// The README example, kept runnable so the front page cannot drift from the code.
import { expect, it } from "vitest";
import { fleaves, fmap, fmapWithPath, functor, leaf } from "./index.js";

it("README example", () => {
  class Tensor {
    constructor(readonly data: Float32Array) {}
  }
  leaf(Tensor);
  class Dense {
    constructor(
      public weight: Tensor,
      public bias: Tensor,
      public activation = "relu",
    ) {}
  }
  functor(Dense, ["weight", "bias"]);

  const w = new Tensor(new Float32Array([1, 2]));
  const model = {
    layers: [new Dense(w, new Tensor(new Float32Array(1))), new Dense(w, new Tensor(new Float32Array(1)))],
  };
  const doubled = fmap((t: Tensor) => new Tensor(t.data.map((v) => 2 * v)), model);
  expect(doubled.layers[0]!.weight).toBe(doubled.layers[1]!.weight);
  expect(doubled.layers[0]!.weight.data).toEqual(new Float32Array([2, 4]));
  expect(doubled.layers[1]!.activation).toBe("relu");
  expect(fleaves(model).length).toBe(3);
  expect(fmapWithPath((path, _t: Tensor) => path.join("."), model).layers[1]!.bias).toBe("layers.1.bias");
});
