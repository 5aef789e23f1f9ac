import { describe, expect, it } from "vitest";
import { children, rebuild } from "./children.js";
import { FunctorDefinitionError } from "./errors.js";
import { fmap } from "./fmap.js";
import { functor, leaf, trainableFields } from "./functor.js";
import { FUNCTOR, TRAINABLE } from "./symbols.js";
import { trainable } from "./trainable.js";
import { Foo, LeafType, NoChild2, OneChild3, WrongOrder } from "./testClasses.js";

describe("functor(Class, fields)", () => {
  it("stores the fields under Symbol.for('flux.functor'), hidden from keys and JSON", () => {
    expect((OneChild3.prototype as any)[Symbol.for("flux.functor")]).toEqual(["y"]);
    expect(FUNCTOR).toBe(Symbol.for("flux.functor"));
    expect(Object.keys(new OneChild3(1, 2, 3))).toEqual(["x", "y", "z"]);
    expect(JSON.stringify(new OneChild3(1, 2, 3))).toBe('{"x":1,"y":2,"z":3}');
  });

  it("maps only the listed fields and carries the others over (Functors 'Property list')", () => {
    const m = fmap((v: number) => 2 * v, new OneChild3(1, 2, 3));
    expect([m.x, m.y, m.z]).toEqual([1, 4, 3]);
    expect(m).toBeInstanceOf(OneChild3);
    const w = fmap((v: number) => 2 * v, new WrongOrder(1, 2, 3));
    expect([w.x, w.y, w.z]).toEqual([2, 2, 6]);
    expect(Object.keys(children(new WrongOrder(1, 2, 3)))).toEqual(["z", "x"]);
  });

  it("makes a class with no fields a container without children, not a leaf (Functors 'NoChild')", () => {
    expect(children(new NoChild2(1, 2))).toEqual({});
    expect(children(new Foo(1, 2))).toEqual({ x: 1, y: 2 });
    const seen: unknown[] = [];
    const out = fmap((v) => seen.push(v), new NoChild2(1, 2));
    expect(seen).toEqual([]);
    expect(out).toBeInstanceOf(NoChild2);
  });

  it("is inherited by subclasses and can be redeclared", () => {
    class A {
      constructor(
        public p = 1,
        public q = 2,
      ) {}
    }
    class B extends A {}
    functor(A, ["p"]);
    expect(children(new B())).toEqual({ p: 1 });
    functor(B, ["q"]);
    expect(children(new B())).toEqual({ q: 2 });
    expect(children(new A())).toEqual({ p: 1 });
  });

  it("reads FUNCTOR from the instance too (per-instance fields, like @flexiblefunctor), and keeps it on rebuild", () => {
    const x = { a: 1, b: 2, [FUNCTOR]: ["b"] };
    const out = fmap((v: number) => v * 10, x);
    expect(out).toEqual({ a: 1, b: 20, [FUNCTOR]: ["b"] });
    expect(fmap((v: number) => v + 1, out).b).toBe(21);
  });

  it("rejects a FUNCTOR value that is not an array", () => {
    expect(() => children({ a: 1, [FUNCTOR]: "a" })).toThrow(FunctorDefinitionError);
  });

  it("rejects bad arguments with FunctorDefinitionError", () => {
    class C {}
    expect(() => functor(C, "x" as never)).toThrow(FunctorDefinitionError);
    expect(() => functor(C, ["x", "x"])).toThrow(/listed twice/);
    expect(() => functor({} as never, ["x"])).toThrow(/expected a class/);
    try {
      leaf((() => 1) as never);
      expect.unreachable();
    } catch (e) {
      expect((e as FunctorDefinitionError).code).toBe("ERR_FUNCTOR_DEFINITION");
      expect((e as Error).message).toMatch(/^\[@flux\/functors\] leaf:/);
    }
  });
});

describe("leaf(Class)", () => {
  it("makes instances leaves that fmap hands to f whole (Functors '@leaf')", () => {
    const a = new LeafType([1, 2]);
    expect(children(a)).toEqual([]);
    expect(rebuild(a, [])).toBe(a);
    expect(fmap((v: LeafType) => v.x, { a })).toEqual({ a: [1, 2] });
  });
});

describe("trainableFields / trainable", () => {
  class Norm {
    constructor(
      public beta = [0],
      public gamma = [1],
      public mean = [0],
      public eps = 1e-5,
    ) {}
  }
  functor(Norm, ["beta", "gamma", "mean"], { trainable: ["beta", "gamma"] });

  it("returns only the trainable children", () => {
    expect(TRAINABLE).toBe(Symbol.for("flux.trainable"));
    expect(trainable(new Norm())).toEqual({ beta: [0], gamma: [1] });
    expect(children(new Norm())).toEqual({ beta: [0], gamma: [1], mean: [0] });
  });

  it("defaults to all children, and to none for a leaf", () => {
    expect(trainable({ a: 1, b: [2] })).toEqual({ a: 1, b: [2] });
    expect(trainable([1, 2])).toEqual([1, 2]);
    expect(trainable(new Float32Array(2))).toEqual([]);
  });

  it("refuses trainable fields that are not children", () => {
    expect(() => trainableFields(Norm, ["eps"])).toThrow(/not among its functor fields/);
  });
});

describe("children / rebuild", () => {
  it("returns fresh containers of the children", () => {
    const arr = [1, 2];
    const c = children(arr) as unknown[];
    expect(c).toEqual([1, 2]);
    expect(c).not.toBe(arr);
    const m = new Map<unknown, unknown>([[1, "a"]]);
    expect(children(m)).toEqual(new Map([[1, "a"]]));
  });

  it("rebuilds with new children, keeping prototype and other fields", () => {
    const r = rebuild(new OneChild3(1, 2, 3), { y: 20 });
    expect(r).toBeInstanceOf(OneChild3);
    expect([r.x, r.y, r.z]).toEqual([1, 20, 3]);
    expect(rebuild(new Map([["k", 1]]), new Map([["k", 2]]))).toEqual(new Map([["k", 2]]));
    expect(rebuild([1, 2], [3, 4])).toEqual([3, 4]);
  });

  it("throws when the new children lack a key or have another length", () => {
    expect(() => rebuild(new Foo(1, 2), { x: 1 })).toThrow(/no such key/);
    expect(() => rebuild([1, 2], [1])).toThrow(/length 2.*length 1/);
  });
});
