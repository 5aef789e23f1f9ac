import { describe, expect, it } from "vitest";
import { fcollect } from "./fcollect.js";
import { Bar, Foo, LeafType, NoChild2 } from "./testClasses.js";

// Element-wise identity, like Functors' `all(fcollect(x) .=== [...])`.
function expectSame(actual: unknown[], expected: unknown[]) {
  expect(actual.length).toBe(expected.length);
  for (const [i, v] of actual.entries()) expect(v).toBe(expected[i]);
}

describe("fcollect (ported from Functors.jl 'fcollect')", () => {
  it("collects every node in pre-order", () => {
    const m1 = new LeafType([1, 2, 3]);
    const m2 = 1;
    const m3 = new Foo(m1, m2);
    const m4 = new Bar(m3);
    expectSame(fcollect(m4), [m4, m3, m1, m2]);
    expectSame(fcollect(m4, { exclude: (v) => v instanceof LeafType }), [m4, m3, m2]);
    expectSame(fcollect(m4, { exclude: (v) => v instanceof Foo }), [m4]);
  });

  it("includes containers without children", () => {
    const m1 = new LeafType(1);
    const m2 = new Bar(m1);
    const m0 = new NoChild2("a", "b");
    const m3 = new Foo(m2, m0);
    const m4 = new Bar(m3);
    expectSame(fcollect(m4), [m4, m3, m2, m1, m0]);
  });

  it("collects each object once, equal but distinct objects separately", () => {
    const m1 = new LeafType([1]);
    const m2 = new LeafType([1]);
    const m3 = new Foo(m1, m2);
    expectSame(fcollect(m3), [m3, m1, m2]);
    const m5 = new Foo(m1, m1);
    expectSame(fcollect(m5), [m5, m1]);
  });

  it("lists repeated primitives each time and ends on cycles", () => {
    expect(fcollect([1, 1])).toEqual([[1, 1], 1, 1]);
    const a: any = { v: 1 };
    a.self = a;
    expectSame(fcollect(a), [a, 1]);
  });
});
