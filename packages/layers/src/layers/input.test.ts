// What a newcomer sees when the input is not a Tensor: a named error that says which layer and what to do,
// not a TypeError from deep inside the layer.
import { UnawaitedPromiseError } from "@flux/functors";
import { randn, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { apply } from "../layer.js";
import { Chain } from "./chain.js";
import { Conv } from "./conv.js";
import { Dense } from "./dense.js";
import { Embedding } from "./embedding.js";

describe("a layer given something other than a Tensor", () => {
  it("Dense names itself, what it got and tensor(data, shape)", () => {
    const d = Dense(2, 3);
    expect(() => d.forward([1, 2] as never)).toThrow(LayerInputError);
    expect(() => d.forward([1, 2] as never)).toThrow(
      /Dense\(2 => 3\) expects a Tensor, got a JS array of length 2\. Make one with tensor\(data, shape\)/,
    );
    expect(() => d.forward(undefined as never)).toThrow(/expects a Tensor, got undefined/);
    expect(() => d.forward(new Float32Array(2) as never)).toThrow(/got a Float32Array/);
  });

  it("Conv and a Chain starting with Dense do the same", () => {
    expect(() => Conv([3, 3], 1, 8).forward([[1]] as never)).toThrow(
      /Conv\(\(3, 3\), 1 => 8\) expects a Tensor, got a JS array of length 1/,
    );
    const m = Chain(Dense(2, 3), Dense(3, 1));
    expect(() => m.forward([[1, 2]] as never)).toThrow(LayerInputError);
    expect(() => apply(m, [[1, 2]])).toThrow(/Dense\(2 => 3\) expects a Tensor/);
  });

  it("an un-awaited gpu(x) is UnawaitedPromiseError from apply, Chain and each layer", () => {
    const m = Chain(Dense(2, 3), Dense(3, 1));
    const pending = Promise.resolve(randn([2, 4]));
    expect(() => apply(m, pending)).toThrow(UnawaitedPromiseError);
    expect(() => apply(m, pending)).toThrow(/apply: `x` is a Promise, not a value: did you forget `await`\?/);
    expect(() => m.forward(pending as never)).toThrow(UnawaitedPromiseError);
    expect(() => Dense(2, 3).forward(pending as never)).toThrow(UnawaitedPromiseError);
    expect(() => Conv([3, 3], 1, 8).forward(pending as never)).toThrow(UnawaitedPromiseError);
  });

  it("apply given an un-awaited gpu(model), or no layer at all, says so", () => {
    const pending = Promise.resolve(Chain(Dense(2, 3)));
    expect(() => apply(pending as never, randn([2, 4]))).toThrow(UnawaitedPromiseError);
    expect(() => apply(pending as never, randn([2, 4]))).toThrow(/apply: `model` is a Promise/);
    expect(() => apply(42 as never, randn([2, 4]))).toThrow(LayerArgumentError);
    expect(() => apply(42 as never, randn([2, 4]))).toThrow(/apply: expected a layer .* got number 42/);
  });

  it("still lets a Chain hand token ids (a JS array) to an Embedding, and runs on real tensors", async () => {
    const m = Chain(Embedding(5, 2), Dense(2, 1));
    expect(m.forward([0, 3, 4] as never).shape).toEqual([1, 3]);
    const y = Dense(2, 1, undefined, { init: () => tensor([1, 1], [1, 2]) }).forward(
      tensor([1, 2, 3, 4], [2, 2]),
    );
    expect(Array.from(await y.data())).toEqual([3, 7]);
  });
});
