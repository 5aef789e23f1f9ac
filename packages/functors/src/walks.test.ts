import { describe, expect, it } from "vitest";
import { FunctorCycleError } from "./errors.js";
import { execute, type Walk } from "./execute.js";
import { fmap } from "./fmap.js";
import { isleaf } from "./isleaf.js";
import { CachedWalk, CollectWalk, DefaultWalk, ExcludeWalk, mapChildren, StructuralWalk } from "./walks.js";
import { Foo } from "./testClasses.js";

describe("walks", () => {
  it("compose like Functors' fmap: CachedWalk(ExcludeWalk(DefaultWalk))", () => {
    const neg = ExcludeWalk(DefaultWalk(), (x) => -Number(x), isleaf);
    expect(execute(neg, { w: [1, 2] })).toEqual({ w: [-1, -2] });
    const shared = { v: 1 };
    const cached = CachedWalk(neg);
    const out = execute(cached, [shared, shared]) as unknown[];
    expect(out[0]).toBe(out[1]);
    expect(cached.cache.get(shared)).toBe(out[0]);
  });

  it("pass the key path and the other trees to every walk call", () => {
    const seen: string[] = [];
    const logging: Walk = {
      walk(recurse, x, ys, path) {
        seen.push(`${path.join(".")}|${JSON.stringify(ys)}`);
        return isleaf(x) ? x : mapChildren(recurse, x, ys, path);
      },
    };
    execute(logging, { a: [1] }, [{ a: [2] }]);
    expect(seen).toEqual(['|[{"a":[2]}]', "a|[[2]]", "a.0|[2]"]);
  });

  it("a custom walk can replace DefaultWalk in fmap (here: counting leaves under each node)", () => {
    const count: Walk = {
      walk: (recurse, x) =>
        isleaf(x) ? 1 : mapChildren(recurse, x, []).reduce((a, b) => Number(a) + Number(b), 0),
    };
    expect(execute(count, { a: 1, b: [2, 3] })).toBe(3);
    // Through fmap: the walk runs at containers, f at leaves.
    const sumWalk: Walk = {
      walk: (recurse, x) => mapChildren(recurse, x, []).reduce((a, b) => Number(a) + Number(b), 0),
    };
    expect(fmap((v: number) => v * 10, new Foo(1, [2, 3]), { walk: sumWalk })).toBe(60);
  });

  it("StructuralWalk drops classes; CollectWalk gathers nodes", () => {
    expect(
      execute(
        ExcludeWalk(StructuralWalk(), (x) => x, isleaf),
        new Foo(1, 2),
      ),
    ).toEqual({
      x: 1,
      y: 2,
    });
    const c = CollectWalk();
    const x = { a: [1] };
    execute(c, x);
    expect(c.output).toEqual([x, [1], 1]);
  });

  it("execute refuses cycles by default and allows them on request", () => {
    const a: any = [1];
    a.push(a);
    const id = ExcludeWalk(DefaultWalk(), (v) => v, isleaf);
    expect(() => execute(id, a)).toThrow(FunctorCycleError);
    expect(() => execute(id, a)).toThrow(/met the object at the root again inside itself, at path \[1\]/);
    const c = CollectWalk();
    execute(c, a, [], { cycles: "allow" });
    expect(c.output).toEqual([a, 1]);
  });
});
