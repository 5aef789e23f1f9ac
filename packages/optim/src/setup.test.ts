import { fmap, functor, trainableFields } from "@flux/functors";
import { type Tensor, clone, randn, tensor, zeros } from "@flux/kernels";
import { describe, expect, it, vi } from "vitest";
import { Adam, Leaf, Momentum, isOptimLeaf, setup } from "./index.js";

class Norm {
  constructor(
    public gamma: Tensor,
    public beta: Tensor,
    public running: Tensor,
    public eps = 1e-5,
  ) {}
}
trainableFields(Norm, ["gamma", "beta"]);

class Dense {
  constructor(
    public weight: Tensor,
    public bias: Tensor,
    public act: (x: number) => number,
  ) {}
}
functor(Dense, ["weight", "bias"]);

describe("setup", () => {
  it("builds a tree of Leafs shaped like the model, null where nothing trains", () => {
    const model = {
      layers: [new Dense(randn([3, 2]), zeros([3]), Math.tanh), new Norm(zeros([3]), zeros([3]), zeros([3]))],
      steps: tensor([1, 2], [2], { dtype: "i32" }),
      name: "net",
    };
    const s = setup(Adam(), model) as any;
    expect(isOptimLeaf(s.layers[0].weight)).toBe(true);
    expect(isOptimLeaf(s.layers[0].bias)).toBe(true);
    expect(Object.keys(s.layers[0])).toEqual(["weight", "bias"]);
    expect(isOptimLeaf(s.layers[1].gamma)).toBe(true);
    expect(s.layers[1].running).toBeNull(); // not in the trainable list
    expect(s.layers[1].eps).toBeNull();
    expect(s.steps).toBeNull(); // integer tensor
    expect(s.name).toBeNull();
    expect(s.layers[0].weight.state.mt.shape).toEqual([3, 2]);
  });

  it("gives tied tensors one Leaf", () => {
    const w = randn([2, 2]);
    const s = setup(Momentum(), { enc: { w }, dec: { w }, other: clone(w) }) as any;
    expect(s.enc.w).toBe(s.dec.w);
    expect(s.other).not.toBe(s.enc.w);
  });

  it("handles Maps and a bare tensor", () => {
    const s = setup(Adam(), new Map([["a", zeros([2])]])) as Map<string, unknown>;
    expect(s.get("a")).toBeInstanceOf(Leaf);
    expect(setup(Adam(), zeros([2]))).toBeInstanceOf(Leaf);
  });

  it("warns once when there is nothing to train", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    setup(Adam(), { a: 1 });
    setup(Adam(), { b: 2 });
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it("a state tree moves like a model: fmap walks into Leaf.state, keeps rule, frozen and ties", () => {
    const w = randn([2, 2]);
    const s = setup(Adam(0.1), { a: w, b: w }) as any;
    s.a.frozen = true;
    const moved = fmap(
      (t: unknown) => (t instanceof Object && "dtype" in t ? clone(t as Tensor) : t),
      s,
    ) as any;
    expect(moved.a).toBeInstanceOf(Leaf);
    expect(moved.a).toBe(moved.b);
    expect(moved.a).not.toBe(s.a);
    expect(moved.a.rule).toBe(s.a.rule);
    expect(moved.a.frozen).toBe(true);
    expect(moved.a.state.mt).not.toBe(s.a.state.mt);
    expect(moved.a.state.betat).toEqual(s.a.state.betat);
    expect(String(moved.a)).toMatch(/^Leaf\(Adam\(eta=0.1, .*mt: 2×2 Tensor\{f32\}.*, frozen\)$/);
  });
});
