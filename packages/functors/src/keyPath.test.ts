import { describe, expect, it } from "vitest";
import { KeyPathError } from "./errors.js";
import { getkeypath, haskeypath, setkeypath } from "./keyPath.js";
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

  it("getkeypath reads through objects, Maps and arrays", () => {
    const x = make();
    expect(getkeypath(x, [])).toBe(x);
    expect(getkeypath(x, ["b", "d", 1])).toBe(6);
    expect(getkeypath(x, ["b", 1])).toBe("one");
  });

  it("getkeypath throws KeyPathError naming the missing key", () => {
    try {
      getkeypath(make(), ["b", "d", 3]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KeyPathError);
      expect((e as KeyPathError).code).toBe("ERR_KEY_PATH");
      expect((e as KeyPathError).path).toEqual(["b", "d", 3]);
      expect((e as Error).message).toMatch(/no key "3" at b\.d\./);
    }
  });

  it("haskeypath checks every step, with 0-based array bounds", () => {
    const x = make();
    expect(haskeypath(x, ["a"])).toBe(true);
    expect(haskeypath(x, ["b", "d", 0])).toBe(true);
    expect(haskeypath(x, ["b", "d", 3])).toBe(false);
    expect(haskeypath(x, ["b", "d", -1])).toBe(false);
    expect(haskeypath(x, ["a", "z"])).toBe(false);
    expect(haskeypath(x, [])).toBe(true);
  });

  it("setkeypath mutates the holding container", () => {
    const x = make();
    setkeypath(x, ["b", "d", 2], 70);
    setkeypath(x, ["b", "c"], 40);
    setkeypath(x, ["a"], 30);
    expect(getkeypath(x, ["b", "d"])).toEqual([5, 6, 70]);
    expect(x.b.get("c")).toBe(40);
    expect(x.a).toBe(30);
    expect(() => setkeypath(x, [], 1)).toThrow(KeyPathError);
    expect(() => setkeypath(x, ["a", "q"], 1)).toThrow(/has no keys to set/);
  });

  it("keyPathString writes the access as JavaScript would", () => {
    expect(keyPathString(["layers", 0, "weight"])).toBe("layers[0].weight");
    expect(keyPathString(["a b", 2])).toBe('["a b"][2]');
    expect(keyPathString([])).toBe("");
  });
});
