import { describe, expect, it } from "vitest";
import { fmapstructure } from "./fmapstructure.js";
import { Bar, Foo, LeafType, OneChild3 } from "./testClasses.js";

describe("fmapstructure", () => {
  it("builds plain objects and arrays (Functors 'Walk')", () => {
    const model = new Foo([0, new Bar(new LeafType(1))], [4, 5]);
    const out = fmapstructure((v: unknown) => v, model);
    expect(out).toEqual({ x: [0, { x: new LeafType(1) }], y: [4, 5] });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it("drops non-child fields and keeps Maps as Maps", () => {
    expect(fmapstructure((v: number) => v * 2, new OneChild3(1, 2, 3))).toEqual({ y: 4 });
    expect(fmapstructure((v: number) => v, new Map([["k", 1]]))).toEqual(new Map([["k", 1]]));
  });

  it("zips several trees and shares results like fmap (Functors 'fmapstructure(f, x, y)')", () => {
    expect(fmapstructure((a: number, b: number) => a + b, new Foo([1, 2], 3), new Foo([4, 5], 6))).toEqual({
      x: [5, 7],
      y: 9,
    });
    const shared = new LeafType(1);
    const add = (a: LeafType, b: number) => (a.x as number) + b;
    const z = fmapstructure<any>(add, { x: shared, y: new LeafType(4), z: shared }, { x: 1, y: 1, z: 7 });
    expect(z).toEqual({ x: 2, y: 5, z: 2 });
    expect(() => fmapstructure((a: unknown) => a, { y: { a: 1 } }, { y: 8 })).toThrow(
      /fmapstructure: tree 2/,
    );
  });
});
