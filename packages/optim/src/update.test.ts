import { type Tensor, gradient, memory, mul, randn, sum, tensor } from "@flux/kernels";
import { UnawaitedPromiseError } from "@flux/functors";
import { describe, expect, it } from "vitest";
import { setFusedSteps } from "./fused.js";
import { Descent, Momentum, OptimStructureError, setup, train, update, updateInPlace } from "./index.js";

const vals = (t: Tensor) => Array.from(t.dataSync());

describe("update (pure)", () => {
  it("leaves state and model untouched and returns new tensors everywhere", () => {
    const model = { w: tensor([1, 2], [2], { dtype: "f64" }), b: tensor([3], [1], { dtype: "f64" }) };
    const state = setup(Momentum(0.1), model) as any;
    const [s2, m2] = update(state, model, { w: tensor([1, 1], [2], { dtype: "f64" }), b: null }) as [
      any,
      typeof model,
    ];
    expect(vals(model.w)).toEqual([1, 2]);
    expect(vals(state.w.state)).toEqual([0, 0]);
    expect(vals(m2.w)).toEqual([0.9, 1.9]);
    expect(vals(s2.w.state)).toEqual([0.1, 0.1]);
    expect(m2.w).not.toBe(model.w);
    expect(m2.b).not.toBe(model.b); // even untouched ones are copies: both generations can be disposed apart
    expect(vals(m2.b)).toEqual([3]);
    expect(s2.w).not.toBe(state.w);
  });
});

describe("updateInPlace", () => {
  it("overwrites the parameter tensors themselves and returns the same objects", () => {
    const w = tensor([1, 2], [2]);
    const model = { w };
    const state = setup(Descent(0.5), model);
    const [s2, m2] = updateInPlace(state, model, { w: tensor([2, 2], [2]) });
    expect(s2).toBe(state);
    expect(m2).toBe(model);
    expect(model.w).toBe(w);
    expect(vals(w)).toEqual([0, 1]);
  });

  it("updates a tied parameter once with its (already summed) gradient", () => {
    const w = tensor([1, 1], [2], { dtype: "f64" });
    const model = { a: { w }, b: { w } };
    const state = setup(Descent(0.1), model) as any;
    expect(state.a.w).toBe(state.b.w);
    const [g] = gradient((m: typeof model) => sum(mul(m.a.w, m.b.w)), model) as any[];
    expect(g.a.w).toBe(g.b.w); // kernels hands the summed gradient at both places
    updateInPlace(state, model, g);
    expect(vals(w)).toEqual([0.8, 0.8]); // 1 - 0.1 * (2 * w), applied once
  });

  it("sums distinct gradient tensors reaching one Leaf (a hand-built gradient, as Optimisers.jl)", () => {
    const w = tensor([1, 1], [2]);
    const model = { a: w, b: w };
    const state = setup(Descent(1), model);
    updateInPlace(state, model, { a: tensor([0.25, 0], [2]), b: tensor([0.5, 0], [2]) });
    expect(vals(w)).toEqual([0.25, 1]);
  });

  it.each([
    ["fused (state updated in place)", true],
    ["reference (replaced state freed)", false],
  ])("skips branches without a gradient, casts a gradient of another dtype: %s", (_name, fused) => {
    setFusedSteps(fused);
    try {
      const model = { w: tensor([1, 2], [2]), v: tensor([5], [1]) };
      const state = setup(Momentum(0.5), model) as any;
      const oldVelocity = state.w.state as Tensor;
      const before = memory().liveTensors;
      const g = tensor([2, 2], [2], { dtype: "f64" });
      updateInPlace(state, model, { w: g });
      expect(model.w.dtype).toBe("f32");
      expect(vals(model.w)).toEqual([0, 1]);
      expect(vals(model.v)).toEqual([5]);
      expect(vals(state.w.state)).toEqual([1, 1]);
      // Fused: the same velocity tensor holds the new values; reference: a new one, the old one freed.
      expect(state.w.state === oldVelocity).toBe(fused);
      expect(oldVelocity.isDisposed).toBe(!fused);
      expect(memory().liveTensors).toBe(before + 1); // only the gradient we made
    } finally {
      setFusedSteps(undefined);
    }
  });

  it("throws OptimStructureError on mismatched gradient shapes or structure", () => {
    const model = { w: tensor([1, 2], [2]) };
    const state = setup(Descent(), model);
    expect(() => updateInPlace(state, model, { w: tensor([1, 2, 3], [3]) })).toThrow(OptimStructureError);
    expect(() => updateInPlace(state, model, { w: { x: tensor([1], [1]) } })).toThrow(
      /container where the model has a tensor/,
    );
  });

  it("refuses a gradient that names children the model lacks (it would train nothing), with the key path", () => {
    const x = tensor([1, 2], [2]);
    const state = setup(Descent(), { x });
    let error: unknown;
    try {
      updateInPlace(state, { x }, { y: tensor([1, 1], [2]) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OptimStructureError);
    expect((error as OptimStructureError).path).toBe("y");
    expect((error as Error).message).toMatch(/gradient has a child "y" that the model does not have .*"x"/);
    expect(Array.from(x.dataSync())).toEqual([1, 2]);
    // Deeper, and in an array: the path names the place.
    const model = { layers: [{ w: tensor([1], [1]) }] };
    const st = setup(Descent(), model);
    expect(() => updateInPlace(st, model, { layers: [{ v: tensor([1], [1]) }] })).toThrow(/at "layers.0.v"/);
    expect(() => updateInPlace(st, model, { layers: [null, { w: tensor([1], [1]) }] })).toThrow(
      /at "layers.1"/,
    );
    expect(() => updateInPlace(st, model, 3)).toThrow(
      /the gradient has a number where the model has a container/,
    );
    // Null entries and missing keys are still "no gradient here".
    updateInPlace(st, model, { layers: [{ w: null }] });
    updateInPlace(st, model, {});
  });

  it("refuses a Promise (a missing await) for the model, the state or the gradient", async () => {
    const model = { w: tensor([1, 2], [2]) };
    const state = setup(Descent(), model);
    const g = { w: tensor([1, 1], [2]) };
    const later = Promise.resolve(model);
    expect(() => setup(Descent(), later)).toThrow(UnawaitedPromiseError);
    expect(() => updateInPlace(state, later, g)).toThrow(/updateInPlace: `model` is a Promise.*await/);
    expect(() => updateInPlace(state, model, Promise.resolve(g))).toThrow(UnawaitedPromiseError);
    expect(() => update(Promise.resolve(state) as never, model, g)).toThrow(/update: `state` is a Promise/);
    await expect(train(() => sum(model.w), later, [[]], state)).rejects.toThrow(
      /train: `model` is a Promise/,
    );
    await later;
  });

  it("does not leak across many steps", () => {
    const model = { w: randn([4, 4]) };
    const state = setup(Momentum(), model);
    const g = { w: randn([4, 4]) };
    updateInPlace(state, model, g);
    const before = memory().liveTensors;
    for (let i = 0; i < 20; i++) updateInPlace(state, model, g);
    expect(memory().liveTensors).toBe(before);
  });
});
