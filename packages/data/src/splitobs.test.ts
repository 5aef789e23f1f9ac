import { ones, rng, type Tensor, zeros } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { batch } from "./batch.js";
import { getobs, numobs } from "./observation.js";
import { shuffleobs } from "./shuffleobs.js";
import { splitobs } from "./splitobs.js";

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe("splitobs", () => {
  it("splits index ranges by fractions and counts (MLUtils' docstring cases)", () => {
    expect(splitobs(100, { at: 0.7 })).toEqual([range(0, 70), range(70, 100)]);
    expect(splitobs(100, { at: [0.1, 0.4] })).toEqual([range(0, 10), range(10, 50), range(50, 100)]);
    expect(splitobs(10, { at: 3 })).toEqual([range(0, 3), range(3, 10)]);
    expect(splitobs(5, { at: 0.5 })).toEqual([range(0, 2), range(2, 5)]); // Julia rounds 2.5 to 2
    expect(() => splitobs(10, { at: 1.5 })).toThrow(/fractions in \[0, 1\]/);
    expect(() => splitobs(10, { at: [0.6, 0.6] })).toThrow(/more than 1/);
  });

  it("splits data into disjoint views, with a reproducible shuffle", () => {
    const y = Int32Array.from(range(0, 20));
    const [a, b, c] = splitobs({ y }, { at: [0.5, 0.3] });
    expect([numobs(a), numobs(b), numobs(c)]).toEqual([10, 6, 4]);
    const pick = (v: unknown) => Array.from((getobs(v, range(0, numobs(v))) as { y: Int32Array }).y);
    expect(pick(b)).toEqual(range(10, 16));
    const s1 = splitobs(y, { at: 0.5, shuffle: true, rng: rng(7) }).map(pick2);
    const s2 = splitobs(y, { at: 0.5, shuffle: true, rng: rng(7) }).map(pick2);
    expect(s1).toEqual(s2);
    expect([...s1[0]!, ...s1[1]!].sort((u, v) => u - v)).toEqual(range(0, 20));
    expect(s1[0]).not.toEqual(range(0, 10));
    function pick2(v: unknown) {
      return Array.from(getobs(v, range(0, numobs(v))) as Int32Array);
    }
  });

  it("stratified keeps label proportions in every part", () => {
    const labels = ["a", "a", "a", "a", "a", "a", "b", "b", "b", "b"];
    const x = Int32Array.from(range(0, 10));
    const [train, test] = splitobs(x, { at: 0.5, stratified: labels });
    const lab = (v: unknown) => Array.from(getobs(v, range(0, numobs(v))) as Int32Array, (i) => labels[i]);
    expect(lab(train).filter((l) => l === "a").length).toBe(3);
    expect(lab(train).filter((l) => l === "b").length).toBe(2);
    expect(lab(test).filter((l) => l === "a").length).toBe(3);
    expect(Array.from(getobs(train, range(0, 5)) as Int32Array)).toEqual([0, 1, 2, 6, 7]);
    const [s1] = splitobs(x, { at: 0.5, stratified: labels, shuffle: true, rng: rng(1) });
    expect(lab(s1).sort()).toEqual(["a", "a", "a", "b", "b"]);
    expect(() => splitobs(x, { at: 0.5, stratified: ["a"] })).toThrow(/1 labels/);
  });
});

describe("shuffleobs", () => {
  it("is a permutation drawn from rng", () => {
    const y = Int32Array.from(range(0, 50));
    const a = Array.from(getobs(shuffleobs(y, { rng: rng(5) }), range(0, 50)) as Int32Array);
    const b = Array.from(getobs(shuffleobs(y, { rng: rng(5) }), range(0, 50)) as Int32Array);
    expect(a).toEqual(b);
    expect(a).not.toEqual(range(0, 50));
    expect([...a].sort((u, v) => u - v)).toEqual(range(0, 50));
  });
});

describe("batch", () => {
  it("stacks tensors along a new last dim and recurses through tuples and objects", () => {
    const t = batch([ones([3]), zeros([3])]) as Tensor;
    expect(t.shape).toEqual([3, 2]);
    expect(Array.from(t.dataSync())).toEqual([1, 1, 1, 0, 0, 0]);
    const m = batch([ones([2, 2]), ones([2, 2]), ones([2, 2])]) as Tensor;
    expect(m.shape).toEqual([2, 2, 3]);
    const o = batch([
      { x: Float32Array.of(1, 2), y: 0 },
      { x: Float32Array.of(3, 4), y: 1 },
    ]) as { x: Tensor; y: number[] };
    expect(o.x.arraySync()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(o.y).toEqual([0, 1]);
    expect(
      batch([
        ["a", 1],
        ["b", 2],
      ]),
    ).toEqual([
      ["a", "b"],
      [1, 2],
    ]);
    expect(() => batch([ones([2]), ones([3])])).toThrow(/one shape/);
  });
});
