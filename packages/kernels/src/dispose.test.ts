import { describe, expect, it } from "vitest";
import { dispose } from "./dispose.js";
import { memory } from "./memory.js";
import { ones, zeros } from "./ops/creation.js";
import { rng } from "./rng.js";
import { tensorsIn } from "./tree.js";

describe("tensorsIn and dispose", () => {
  it("finds every tensor of a tree once, through arrays, Maps, objects and cycles", () => {
    const a = ones([2]);
    const b = zeros([3]);
    const tree: Record<string, unknown> = {
      w: a,
      layers: [a, { b }],
      m: new Map([["k", b]]),
      r: rng(1),
      n: 3,
    };
    tree.self = tree;
    expect(tensorsIn(tree)).toEqual([a, b]);
    dispose([a, b]);
  });

  it("frees each tensor once, skips freed ones, and leaves memory where it started", () => {
    const before = memory().liveTensors;
    const a = ones([2]);
    const grad = { weight: a, tied: a, bias: zeros([2]), note: "x", none: null };
    a.dispose();
    dispose(grad);
    expect(grad.bias.isDisposed).toBe(true);
    expect(memory().liveTensors).toBe(before);
  });
});
