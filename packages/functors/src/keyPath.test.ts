import { describe, expect, it } from "vitest";
import { KeyPathError } from "./errors.js";
import { getKeyPath, hasKeyPath, setKeyPath } from "./keyPath.js";
import { keyPathString } from "./keyPathString.js";

describe("key paths (ported from Functors.jl test/keypath.jl)", () => {
  const make = () => ({
    a: 3,
    b: new Map<unknown, unknown>([
      ["c", 4],
      ["d", [5, 6, 7]],
      [1, "one"],
    ]),
  });

  it("getKeyPath reads through objects, Maps and arrays", () => {
    const x = make();
    expect(getKeyPath(x, [])).toBe(x);
    expect(getKeyPath(x, ["b", "d", 1])).toBe(6);
    expect(getKeyPath(x, ["b", 1])).toBe("one");
  });

  it("getKeyPath throws KeyPathError naming the missing key", () => {
    try {
      getKeyPath(make(), ["b", "d", 3]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KeyPathError);
      expect((e as KeyPathError).code).toBe("ERR_KEY_PATH");
      expect((e as KeyPathError).path).toEqual(["b", "d", 3]);
      expect((e as Error).message).toMatch(/no key "3" at b\.d\./);
    }
  });

  it("hasKeyPath checks every step, with 0-based array bounds", () => {
    const x = make();
    expect(hasKeyPath(x, ["a"])).toBe(true);
    expect(hasKeyPath(x, ["b", "d", 0])).toBe(true);
    expect(hasKeyPath(x, ["b", "d", 3])).toBe(false);
    expect(hasKeyPath(x, ["b", "d", -1])).toBe(false);
    expect(hasKeyPath(x, ["a", "z"])).toBe(false);
    expect(hasKeyPath(x, [])).toBe(true);
  });

  it("setKeyPath mutates the holding container", () => {
    const x = make();
    setKeyPath(x, ["b", "d", 2], 70);
    setKeyPath(x, ["b", "c"], 40);
    setKeyPath(x, ["a"], 30);
    expect(getKeyPath(x, ["b", "d"])).toEqual([5, 6, 70]);
    expect(x.b.get("c")).toBe(40);
    expect(x.a).toBe(30);
    expect(() => setKeyPath(x, [], 1)).toThrow(KeyPathError);
    expect(() => setKeyPath(x, ["a", "q"], 1)).toThrow(/has no keys to set/);
  });

  it("keyPathString writes the access as JavaScript would", () => {
    expect(keyPathString(["layers", 0, "weight"])).toBe("layers[0].weight");
    expect(keyPathString(["a b", 2])).toBe('["a b"][2]');
    expect(keyPathString([])).toBe("");
  });
});
