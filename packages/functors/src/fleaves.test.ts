import { describe, expect, it } from "vitest";
import { fleaves, fleavesWithPath } from "./fleaves.js";
import { isleaf } from "./isleaf.js";
import { Bar, Foo, LeafType, NoChild2 } from "./testClasses.js";

describe("fleaves (ported from Functors.jl 'fleaves')", () => {
  it("lists leaves depth first", () => {
    const x = [1, [2, 3], { a: 4, b: [5, 6], c: 7 }];
    expect(fleaves(x)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("treats excluded nodes as leaves", () => {
    const inner = { a: 4, b: [5, 6], c: 7 };
    const x = [1, [2, 3], inner];
    const isRecord = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    const out = fleaves(x, { exclude: isRecord });
    expect(out).toEqual([1, 2, 3, inner]);
    expect(out[3]).toBe(inner);
  });

  it("lists nothing for empty containers and containers without children", () => {
    expect(fleaves({})).toEqual([]);
    expect(fleaves({ a: 1, b: 2, c: {} })).toEqual([1, 2]);
    expect(fleaves(new NoChild2(1, 2))).toEqual([]);
  });

  it("lists each object once but primitives every time", () => {
    const w = new LeafType(1);
    const sub = new Foo(w, 5);
    const out = fleaves(new Foo(sub, new Bar([sub, w, 5, 5])));
    expect(out).toEqual([w, 5, 5, 5]);
    expect(out[0]).toBe(w);
  });

  it("ends on cycles", () => {
    const a: any = { w: 1 };
    a.self = a;
    a.list = [a, 2];
    expect(fleaves(a)).toEqual([1, 2]);
  });

  it("returns only leaves, and fleavesWithPath pairs them with their first path", () => {
    const w = new Float32Array(2);
    const x = { a: w, b: [w, "s"] };
    expect(fleaves(x).every(isleaf)).toBe(true);
    expect(fleavesWithPath(x)).toEqual([
      [["a"], w],
      [["b", 1], "s"],
    ]);
  });
});
