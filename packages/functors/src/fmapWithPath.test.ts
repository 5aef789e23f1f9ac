import { describe, expect, it } from "vitest";
import { fmapWithPath } from "./fmapWithPath.js";
import type { KeyPath } from "./keyPath.js";
import { Bar, Foo, LeafType } from "./testClasses.js";

describe("fmapWithPath (ported from Functors.jl 'fmap_with_path')", () => {
  const model = () =>
    new Bar(
      new Foo(
        new Map<string, unknown>([
          ["a", 1],
          ["b", { b1: 2, b2: 20 }],
        ]),
        [3, 4, [5, 6]],
      ),
    );

  it("passes each leaf's key path and rebuilds the structure", () => {
    const paths: KeyPath[] = [];
    const res = fmapWithPath((kp, v: number) => {
      paths.push(kp);
      return v * v;
    }, model());
    expect(res).toBeInstanceOf(Bar);
    expect(res.x).toEqual(
      new Foo(
        new Map<string, unknown>([
          ["a", 1],
          ["b", { b1: 4, b2: 400 }],
        ]),
        [9, 16, [25, 36]],
      ),
    );
    expect(paths).toEqual([
      ["x", "x", "a"],
      ["x", "x", "b", "b1"],
      ["x", "x", "b", "b2"],
      ["x", "y", 0],
      ["x", "y", 1],
      ["x", "y", 2, 0],
      ["x", "y", 2, 1],
    ]);
  });

  it("takes exclude(path, x), path first", () => {
    const stop = (kp: KeyPath) =>
      JSON.stringify(kp) === JSON.stringify(["x", "x", "b"]) ||
      JSON.stringify(kp) === JSON.stringify(["x", "y", 2]);
    const res = fmapWithPath((_kp, v: unknown) => (typeof v === "number" ? v * v : null), model(), {
      exclude: stop,
    });
    expect((res.x as Foo).x).toEqual(
      new Map<string, unknown>([
        ["a", 1],
        ["b", null],
      ]),
    );
    expect((res.x as Foo).y).toEqual([9, 16, null]);
  });

  it("keeps sharing, and zips several trees", () => {
    const shared = new LeafType(1);
    const m = new Foo(shared, new Foo(new LeafType(1), shared));
    const out = fmapWithPath((_kp, v: LeafType) => new LeafType(v.x), m) as any;
    expect(out.x).toBe(out.y.y);
    expect(out.x).not.toBe(out.y.x);
    const sum = fmapWithPath(
      (kp, a: number, b: number) => `${kp.join("/")}:${a + b}`,
      { p: [1] },
      { p: [2] },
    );
    expect(sum).toEqual({ p: ["p/0:3"] });
  });
});
