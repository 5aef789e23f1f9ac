import { describe, expect, it } from "vitest";
import { FunctorCycleError, FunctorStructureError } from "./errors.js";
import { fmap } from "./fmap.js";
import { fmapstructure } from "./fmapstructure.js";
import { LEAF } from "./symbols.js";
import { Bar, Foo, LeafType } from "./testClasses.js";

const f32 = (a: number[]) => Float32Array.from(a);

describe("fmap (ported from Functors.jl test/basics.jl)", () => {
  it("Nested: rebuilds classes around mapped leaves", () => {
    const model = new Bar(new Foo(1, new LeafType([1, 2, 3])));
    const out = fmap((v: unknown) => (v instanceof LeafType ? f32(v.x as number[]) : v), model);
    expect(out).toBeInstanceOf(Bar);
    expect(out.x).toBeInstanceOf(Foo);
    expect((out.x as Foo).y).toEqual(new Float32Array([1, 2, 3]));
    expect((model.x as Foo).y).toBeInstanceOf(LeafType); // input untouched
  });

  it("Exclude: stops the walk where exclude holds", () => {
    const x = [
      ["a", "b"],
      ["c", "d"],
    ];
    expect(fmap(() => "z", x)).toEqual([
      ["z", "z"],
      ["z", "z"],
    ]);
    const len = (v: unknown) => (Array.isArray(v) ? v.length : "z");
    expect(fmap(len, x, { exclude: (v: unknown) => Array.isArray(v) && typeof v[0] === "string" })).toEqual([
      2, 2,
    ]);
    expect(fmap(len, x, { exclude: Array.isArray })).toBe(2); // the root is an array too
  });

  it("Sharing: a leaf met twice maps to one result, and cache: false turns that off", () => {
    const shared = new LeafType(1);
    const m1 = new Foo(shared, new Foo(new LeafType(1), new Foo(shared, new LeafType(1))));
    const toF32 = (v: LeafType) => new Float32Array([v.x as number]);
    const m1f = fmap(toF32, m1) as any;
    expect(m1f.x).toBe(m1f.y.y.x);
    expect(m1f.x).not.toBe(m1f.y.x);
    const m1no = fmap(toF32, m1, { cache: false }) as any;
    expect(m1no.x).not.toBe(m1no.y.y.x);
    expect(m1no.x).toEqual(m1no.y.y.x);
  });

  it("Sharing: prune replaces the second and later occurrences", () => {
    const shared = [1, 2, 3];
    const m1 = new Foo(shared, new Foo([1, 2, 3], new Foo(shared, [1, 2, 3])));
    expect(fmapstructure((v: unknown) => v, m1, { exclude: Array.isArray, prune: null })).toEqual({
      x: [1, 2, 3],
      y: { x: [1, 2, 3], y: { x: null, y: [1, 2, 3] } },
    });
    // A shared container is walked once too: its second occurrence is pruned whole.
    const inner = new Foo(shared, 4);
    const m2 = new Foo(inner, inner);
    expect(fmapstructure((v: unknown) => v, m2, { prune: "pruned" })).toEqual({
      x: { x: [1, 2, 3], y: 4 },
      y: "pruned",
    });
    // prune: undefined is a value too (present key), not "no prune".
    expect(fmap((v: unknown) => v, { a: inner, b: inner }, { prune: undefined }).b).toBeUndefined();
  });

  it("Sharing: primitives are never cached, so equal numbers are not pruned", () => {
    const out = fmapstructure((v: unknown) => v, { a: 1, b: 1, c: "s", d: "s" }, { prune: 0 });
    expect(out).toEqual({ a: 1, b: 1, c: "s", d: "s" });
  });

  it("Sharing: a shared container is rebuilt once, so the results stay the same object", () => {
    const inner = { w: 1 };
    let calls = 0;
    const out = fmap(
      (v: number) => {
        calls++;
        return v + 1;
      },
      { a: inner, b: [inner] },
    );
    expect(out.a).toBe(out.b[0]);
    expect(out.a).toEqual({ w: 2 });
    expect(calls).toBe(1);
  });

  it("fmap(f, x, y): zips leaves, takes the shape of the first tree", () => {
    expect(fmap((a: number, b: number) => a + b, { x: [1, 2], y: 3 }, { x: [4, 5], y: 6 })).toEqual({
      x: [5, 7],
      y: 9,
    });
    const foo1 = new Foo([7, 8], 9);
    expect(fmap((a: number, b: number) => a + b, { x: [1, 2], y: 3 }, foo1)).toEqual({ x: [8, 10], y: 12 });
    const r = fmap((a: number, b: number) => a + b, foo1, { x: [4, 5], y: 6 });
    expect(r).toBeInstanceOf(Foo);
    expect(r.x).toEqual([11, 13]);
    // More than two trees.
    expect(
      fmap((a: number, b: number, c: number) => a * b * c, { x: [1, 2], y: 3 }, foo1, { x: [4, 5], y: 6 }),
    ).toEqual({ x: [28, 80], y: 162 });
  });

  it("fmap(f, x, y): the cache uses identities from the first tree", () => {
    const shared = new LeafType(1);
    const m3 = { x: shared, y: new LeafType(4), z: shared };
    const n3 = { x: 10, y: 20, z: 30 };
    const add = (a: LeafType, b: number) => new LeafType((a.x as number) + b);
    const z3 = fmap(add, m3, n3);
    expect(z3.x).toBe(z3.z); // z's partner (30) is ignored: x's result is reused
    expect(z3.x.x).toBe(11);
    expect(fmap(add, m3, n3, { prune: null })).toEqual({ x: new LeafType(11), y: new LeafType(24), z: null });
  });

  it("fmap(f, x, y): extra keys in later trees are ignored (Functors 'Dict')", () => {
    const m1 = new Map<string, unknown>([
      ["x", [1, 2]],
      ["y", new Map([["a", 3]])],
    ]);
    const n1 = new Map<string, unknown>([
      ["x", [4, 5]],
      [
        "y",
        new Map([
          ["a", 0.5],
          ["c", 5],
        ]),
      ],
      ["z", 1],
    ]);
    const out = fmap((a: number, b: number) => a + b, m1, n1);
    expect(out).toEqual(
      new Map<string, unknown>([
        ["x", [5, 7]],
        ["y", new Map([["a", 3.5]])],
      ]),
    );
  });

  it("fmap(f, x, y): mismatched trees throw FunctorStructureError naming the key path", () => {
    const m2 = { x: [1, 2], y: { a: [3, 4], b: 5 } };
    const n2 = { x: [6, 7], y: 8 };
    let err: unknown;
    try {
      fmap((a: unknown) => a, m2, n2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FunctorStructureError);
    const e = err as FunctorStructureError;
    expect(e.code).toBe("ERR_FUNCTOR_STRUCTURE");
    expect(e.path).toEqual(["y", "a"]);
    expect(e.tree).toBe(1);
    expect(e.message).toMatch(/^\[@flux\/functors\] fmap: tree 2 does not match tree 1 at path y\.a/);

    expect(() => fmap((a: unknown) => a, { w: [1, 2] }, { w: [1, 2, 3] })).toThrow(/length 2.*length 3/);
    expect(() => fmap((a: unknown) => a, { w: [1] }, { v: [1] })).toThrow(/no such key/);
    const tensorLike = { [LEAF]: true, data: [1] };
    expect(() => fmap((a: unknown) => a, { data: [1] }, tensorLike)).toThrow(FunctorStructureError);
  });

  it("keeps prototypes of arrays, Maps and null-prototype objects, and does not mutate the input", () => {
    class Stack extends Array<number> {}
    class Registry extends Map<string, number> {}
    const s = Stack.from([1, 2]);
    const r = new Registry([["a", 1]]);
    const bare = Object.assign(Object.create(null), { k: 1 });
    const out = fmap((v: number) => v + 1, { s, r, bare });
    expect(out.s).toBeInstanceOf(Stack);
    expect([...out.s]).toEqual([2, 3]);
    expect(out.r).toBeInstanceOf(Registry);
    expect(out.r.get("a")).toBe(2);
    expect(Object.getPrototypeOf(out.bare)).toBeNull();
    expect(out.bare.k).toBe(2);
    expect([...s]).toEqual([1, 2]);
    expect(r.get("a")).toBe(1);
  });

  it("carries non-enumerable fields and keeps frozen objects frozen", () => {
    const x = { w: 1 };
    Object.defineProperty(x, "hidden", { value: "h", enumerable: false });
    const out = fmap((v: number) => v * 3, Object.freeze(x)) as typeof x & { hidden: string };
    expect(out.w).toBe(3);
    expect(out.hidden).toBe("h");
    expect(Object.isFrozen(out)).toBe(true);
  });

  it("keeps a child named __proto__ a field", () => {
    const x = JSON.parse('{"__proto__": 1, "a": 2}');
    const out = fmap((v: number) => v * 10, x);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe(10);
  });

  it("maps a leaf root and rebuilds empty containers", () => {
    expect(fmap((v: number) => v + 1, 1)).toBe(2);
    const empty: unknown[] = [];
    const out = fmap((v: unknown) => v, { e: empty, o: {} });
    expect(out).toEqual({ e: [], o: {} });
    expect(out.e).not.toBe(empty);
  });

  it("throws FunctorCycleError on a cycle, with or without the cache", () => {
    const a: any = { w: 1, inner: { v: 2 } };
    a.inner.back = a;
    for (const cache of [true, false]) {
      let err: unknown;
      try {
        fmap((v: unknown) => v, a, { cache });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(FunctorCycleError);
      expect((err as FunctorCycleError).path).toEqual(["inner", "back"]);
      expect((err as FunctorCycleError).firstPath).toEqual([]);
      expect((err as FunctorCycleError).code).toBe("ERR_FUNCTOR_CYCLE");
    }
  });

  it("accepts a user cache Map, so ties survive across two calls", () => {
    const w = new LeafType(1);
    const cache = new Map<unknown, unknown>();
    const copy = (v: LeafType) => new LeafType(v.x);
    const a = fmap(copy, { w }, { cache });
    const b = fmap(copy, [w], { cache });
    expect(a.w).toBe(b[0]);
  });
});
