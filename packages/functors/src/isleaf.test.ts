import { describe, expect, it } from "vitest";
import { isleaf } from "./isleaf.js";
import { FUNCTOR, LEAF } from "./symbols.js";
import { Foo, LeafType, NoChild2 } from "./testClasses.js";

describe("isleaf", () => {
  it("treats primitives, functions and binary data as leaves", () => {
    for (const v of [1, "s", true, 10n, Symbol("s"), null, undefined, () => 1, new Float32Array(2)]) {
      expect(isleaf(v)).toBe(true);
    }
    for (const v of [new ArrayBuffer(4), new DataView(new ArrayBuffer(4)), new Date(0), /x/, new Set([1])]) {
      expect(isleaf(v)).toBe(true);
    }
  });

  it("treats arrays, Maps, plain objects and class instances as containers, even when empty", () => {
    for (const v of [
      [],
      [1],
      new Map(),
      {},
      { a: 1 },
      Object.create(null),
      new Foo(1, 2),
      new NoChild2(1, 2),
    ]) {
      expect(isleaf(v)).toBe(false);
    }
  });

  it("honours the leaf symbol, own or inherited, and Symbol.for agrees with LEAF", () => {
    expect(LEAF).toBe(Symbol.for("flux.leaf"));
    expect(isleaf({ [Symbol.for("flux.leaf")]: true, data: [1] })).toBe(true);
    expect(isleaf({ [LEAF]: false, data: [1] })).toBe(false);
    expect(isleaf(new LeafType([1, 2]))).toBe(true);
    class Sub extends LeafType {}
    expect(isleaf(new Sub(1))).toBe(true);
  });

  it("lets a functor declaration make an otherwise-leaf object a container", () => {
    class Stamp extends Date {}
    Object.defineProperty(Stamp.prototype, FUNCTOR, { value: [] });
    expect(isleaf(new Stamp(0))).toBe(false);
    expect(isleaf(new Date(0))).toBe(true);
  });
});
