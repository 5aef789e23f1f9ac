import { type Tensor, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import {
  AdaDelta,
  Adam,
  Descent,
  Momentum,
  Nesterov,
  OptimiserChain,
  ClipGrad,
  OptimStructureError,
  adjust,
  adjustInPlace,
  freeze,
  setup,
  thaw,
  update,
  updateInPlace,
} from "./index.js";

const vals = (t: Tensor) => Array.from(t.dataSync());

describe("adjust / adjustInPlace", () => {
  it("changes the learning rate and keeps the stored state (the Optimisers.jl docs example)", () => {
    const m = { vec: tensor([0, 0], [2], { dtype: "f64" }), fun: Math.sin };
    let st = setup(Nesterov(), m) as any;
    [st] = update(st, m, { vec: tensor([16, 88], [2], { dtype: "f64" }), fun: null }) as [any, unknown];
    expect(vals(st.vec.state)).toEqual([-0.016, -0.088]);
    adjustInPlace(st, 0.123);
    expect(st.vec.rule.eta).toBe(0.123);
    expect(vals(st.vec.state)).toEqual([-0.016, -0.088]);
  });

  it("adjust is pure; names go to the rules that have them; a subtree can be adjusted", () => {
    const m = { a: tensor([1], [1]), b: tensor([1], [1]) };
    const st = setup(OptimiserChain(ClipGrad(), Adam()), m) as any;
    const st2 = adjust(st, { beta: [0.7, 0.9], delta: 2 }) as any;
    expect(st.a.rule.opts[1].beta).toEqual([0.9, 0.999]);
    expect(st2.a.rule.opts[1].beta).toEqual([0.7, 0.9]);
    expect(st2.a.rule.opts[0].delta).toBe(2);
    expect(st2.a.state[1].mt).not.toBe(st.a.state[1].mt);
    adjustInPlace(st.b, { eta: 0.5 });
    expect(st.b.rule.opts[1].eta).toBe(0.5);
    expect(st.a.rule.opts[1].eta).toBe(0.001);
  });

  it("leaves rules without the field alone (AdaDelta has no eta)", () => {
    const st = setup(AdaDelta(), { w: tensor([1], [1]) }) as any;
    adjustInPlace(st, 0.5);
    expect(st.w.rule.rho).toBe(0.9);
    expect("eta" in st.w.rule).toBe(false);
  });
});

describe("freeze / thaw", () => {
  it("freeze skips a subtree, thaw resumes (the Optimisers.jl docs example)", () => {
    const m = { x: [tensor([1], [1], { dtype: "f64" }), 2], y: tensor([3], [1], { dtype: "f64" }) };
    const s = setup(Momentum(), m) as any;
    freeze(s.x);
    const g = {
      x: [tensor([Math.PI], [1], { dtype: "f64" }), null],
      y: tensor([100 * Math.PI], [1], { dtype: "f64" }),
    };
    updateInPlace(s, m, g);
    expect(vals(m.x[0] as Tensor)).toEqual([1]);
    expect(vals(m.y)[0]).toBeCloseTo(3 - Math.PI, 12);
    expect(s.x[0].frozen).toBe(true);
    thaw(s);
    expect(s.x[0].frozen).toBe(false);
    updateInPlace(s, m, g);
    expect(vals(m.x[0] as Tensor)[0]).toBeCloseTo(1 - 0.01 * Math.PI, 12);
  });

  it("refuses a model", () => {
    expect(() => freeze({ w: tensor([1], [1]) })).toThrow(OptimStructureError);
    expect(() => thaw(tensor([1], [1]))).toThrow(/not on the model/);
    expect(() => adjustInPlace({ w: tensor([1], [1]) }, 0.1)).toThrow(OptimStructureError);
  });

  it("a frozen Leaf is not updated by pure update either", () => {
    const m = { w: tensor([1], [1]) };
    const s = setup(Descent(), m) as any;
    freeze(s);
    const [, m2] = update(s, m, { w: tensor([1], [1]) });
    expect(vals(m2.w)).toEqual([1]);
  });
});
