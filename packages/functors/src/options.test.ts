import { describe, expect, it } from "vitest";
import { fmap } from "./fmap.js";
import { fmapOptions, splitTreesAndOptions } from "./options.js";
import { DefaultWalk } from "./walks.js";

describe("telling options from trees: fmap(f, x, ...ys, opts?)", () => {
  const add = (a: number, b: number) => a + b;

  it("reads a plain object of known option keys with valid values as options", () => {
    expect(splitTreesAndOptions({ a: 1 }, [{ cache: false }]).ys).toEqual([]);
    expect(splitTreesAndOptions({ a: 1 }, [{ b: 1 }, { exclude: () => false, prune: 0 }]).ys).toEqual([
      { b: 1 },
    ]);
    expect(splitTreesAndOptions([1], [{ walk: DefaultWalk() }]).options.walk).toBeInstanceOf(DefaultWalk);
    expect(splitTreesAndOptions({ a: 1 }, [{}]).ys).toEqual([]);
  });

  it("reads it as a tree when a value has the wrong type for that option", () => {
    expect(splitTreesAndOptions({ cache: 1 }, [{ cache: 2 }]).ys).toEqual([{ cache: 2 }]);
    expect(fmap(add, { cache: 1, walk: 2 }, { cache: 10, walk: 20 })).toEqual({ cache: 11, walk: 22 });
  });

  it("reads it as a tree when the first tree has exactly the same keys", () => {
    expect(fmap(add, { prune: 1 }, { prune: 2 })).toEqual({ prune: 3 });
    expect(fmap((a: unknown) => a, {}, {})).toEqual({});
  });

  it("reads non-plain objects and leaf-symbol objects as trees", () => {
    class Opts {
      cache = false;
    }
    expect(splitTreesAndOptions({ cache: 1 }, [new Opts()]).ys).toHaveLength(1);
    expect(splitTreesAndOptions(1, [{ [Symbol.for("flux.leaf")]: true }]).ys).toHaveLength(1);
    expect(splitTreesAndOptions([1], [[1]]).ys).toHaveLength(1);
  });

  it("fmapOptions forces the options reading", () => {
    const args: number[][] = [];
    const record = (...a: number[]) => {
      args.push(a);
      return a[0];
    };
    fmap(record, { prune: 1 }, { prune: 0 }); // zipped as two trees
    fmap(record, { prune: 1 }, fmapOptions({ prune: 0 })); // one tree plus options
    expect(args).toEqual([[1, 0], [1]]);
    const shared = { id: 1 };
    expect(fmap((a: unknown) => a, { prune: shared, cache: shared }, fmapOptions({ prune: 0 }))).toEqual({
      prune: { id: 1 },
      cache: 0,
    });
  });
});
