// updateInPlace writes parameters in place: a bad gradient or state found anywhere in the tree must throw
// before the first parameter is written, or the model would be left half stepped.
import { type Tensor, tensor, tensorsIn } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { setFusedSteps } from "./fused.js";
import { Adam, Momentum, OptimStructureError, setup, updateInPlace } from "./index.js";

const snapshot = (tree: unknown) => [...tensorsIn(tree)].map((t: Tensor) => Array.from(t.dataSync()));

function thrown(f: () => unknown): OptimStructureError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(OptimStructureError);
    return e as OptimStructureError;
  }
  throw new Error("expected an OptimStructureError");
}

describe.each([
  ["fused", true],
  ["reference", false],
])("updateInPlace is all or nothing (%s steps)", (_name, fused) => {
  it("a bad gradient in a later parameter leaves the earlier ones unwritten", () => {
    setFusedSteps(fused);
    try {
      const model = { a: tensor([1, 2], [2]), b: tensor([3, 4, 5], [3]) };
      const state = setup(Adam(0.1), model);
      const before = snapshot([model, state]);
      const e = thrown(() => updateInPlace(state, model, { a: tensor([1, 1], [2]), b: tensor([1, 1], [2]) }));
      expect(e.path).toBe("b");
      expect(e.message).toMatch(/the gradient is \[2\] but the parameter is \[3\]/);
      expect(snapshot([model, state])).toEqual(before);
    } finally {
      setFusedSteps(undefined);
    }
  });

  it("a state tree set up for another model is named, and nothing is written", () => {
    setFusedSteps(fused);
    try {
      const model = { a: tensor([1, 2], [2]), b: tensor([3, 4, 5], [3]) };
      const other = setup(Momentum(0.1), { a: tensor([0, 0], [2]), b: tensor([0, 0, 0, 0], [4]) });
      const before = snapshot(model);
      const e = thrown(() =>
        updateInPlace(other, model, { a: tensor([1, 1], [2]), b: tensor([1, 1, 1], [3]) }),
      );
      expect(e.path).toBe("b");
      expect(e.message).toMatch(
        /state holds a \[4\] tensor but the parameter is \[3\].*setup\(rule, model\)/,
      );
      expect(snapshot(model)).toEqual(before);
    } finally {
      setFusedSteps(undefined);
    }
  });

  it("a disposed gradient is named before anything is written", () => {
    setFusedSteps(fused);
    try {
      const model = { a: tensor([1, 2], [2]), b: tensor([3], [1]) };
      const state = setup(Momentum(0.1), model);
      const gb = tensor([1], [1]);
      gb.dispose();
      const before = snapshot([model, state]);
      expect(() => updateInPlace(state, model, { a: tensor([1, 1], [2]), b: gb })).toThrow(
        /gradient tensor was disposed/,
      );
      expect(snapshot([model, state])).toEqual(before);
    } finally {
      setFusedSteps(undefined);
    }
  });
});

describe("a state tree that does not cover the gradient", () => {
  it("an empty state tree trains nothing without a word: now named", () => {
    const model = { w: tensor([1, 2], [2]) };
    const e = thrown(() => updateInPlace({} as never, model, { w: tensor([1, 1], [2]) }));
    expect(e.path).toBe("w");
    expect(e.message).toMatch(/state tree has no entry for it.*setup\(rule, model\)/);
    expect(Array.from(model.w.dataSync())).toEqual([1, 2]);
  });
  it("a null state entry (non-trainable child) still takes no gradient quietly", () => {
    const model = { w: tensor([1, 2], [2]), n: tensor([1], [1], { dtype: "i32" }) };
    const state = setup(Momentum(0.1), model);
    updateInPlace(state, model, { w: tensor([1, 1], [2]), n: null });
  });
});
