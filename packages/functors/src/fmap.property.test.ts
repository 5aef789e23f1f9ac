// Property tests over random trees of plain objects, arrays, Maps and class instances, with leaves that are
// numbers, strings, Float32Arrays and leaf-symbol objects (stand-ins for tensors).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { children } from "./children.js";
import { fleaves, fleavesWithPath } from "./fleaves.js";
import { fmap } from "./fmap.js";
import { fmapstructure } from "./fmapstructure.js";
import { functor, leaf } from "./functor.js";
import { isleaf } from "./isleaf.js";
import { getkeypath, type KeyPath, setkeypath } from "./keyPath.js";
import { LEAF } from "./symbols.js";

class TensorLike {
  constructor(readonly data: number[]) {}
}
Object.defineProperty(TensorLike.prototype, LEAF, { value: true });

class Pair2 {
  constructor(
    public left: unknown,
    public right: unknown,
  ) {}
}

class Layer {
  constructor(
    public weight: unknown,
    public bias: unknown,
    public name: string,
  ) {}
}
functor(Layer, ["weight", "bias"]);

class Zipped {
  constructor(readonly parts: unknown[]) {}
}
leaf(Zipped);

const key = fc.stringMatching(/^[a-z]{1,4}$/);
const leafArb = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.float32Array({ maxLength: 3, noDefaultInfinity: true, noNaN: true }),
  fc.array(fc.integer(), { maxLength: 3 }).map((d) => new TensorLike(d)),
);
const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leafArb, tie("node")),
  node: fc.oneof(
    fc.array(tie("tree"), { maxLength: 4 }),
    fc.dictionary(key, tie("tree"), { maxKeys: 4 }),
    fc.array(fc.tuple(key, tie("tree")), { maxLength: 3 }).map((es) => new Map(es)),
    fc.tuple(tie("tree"), tie("tree")).map(([l, r]) => new Pair2(l, r)),
    fc.tuple(tie("tree"), tie("tree"), key).map(([w, b, n]) => new Layer(w, b, n)),
  ),
}));

/** A deterministic leaf transformation that makes new objects (so identities can be checked). */
function bump(x: unknown): unknown {
  if (typeof x === "number") return x + 1;
  if (typeof x === "string") return `${x}!`;
  if (x instanceof Float32Array) return x.map((v) => v * 2);
  if (x instanceof TensorLike) return new TensorLike(x.data.map((v) => v - 1));
  return x;
}

/** Same prototype at every node, a new object at every container, the same leaves. */
function expectSameShape(a: unknown, b: unknown): void {
  if (isleaf(a)) {
    expect(b).toBe(a);
    return;
  }
  expect(b).not.toBe(a);
  expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
  const ca = children(a);
  const cb = children(b);
  const ea = ca instanceof Map ? [...ca.entries()] : Object.entries(ca);
  const eb = cb instanceof Map ? [...cb.entries()] : Object.entries(cb);
  expect(eb.map(([k]) => k)).toEqual(ea.map(([k]) => k));
  ea.forEach(([, v], i) => {
    expectSameShape(v, eb[i]![1]);
  });
}

const objectLeafPaths = (t: unknown): KeyPath[] =>
  fleavesWithPath(t)
    .filter(([, v]) => typeof v === "object" && v !== null)
    .map(([p]) => p);

describe("fmap properties", () => {
  it("fmap(x => x) rebuilds an equal structure with the same prototypes at every node", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const out = fmap((x: unknown) => x, t);
        expect(out).toEqual(t);
        expectSameShape(t, out);
        const layer = new Layer(t, 1, "keep");
        expect(fmap((x: unknown) => x, layer).name).toBe("keep");
      }),
    );
  });

  it("a leaf object placed k times comes back as one shared object; distinct leaves stay distinct", () => {
    const withSlots = tree.filter((t) => fleavesWithPath(t).length >= 2);
    fc.assert(
      fc.property(withSlots, fc.integer({ min: 2, max: 6 }), fc.nat(), (t, k, seed) => {
        const paths = fleavesWithPath(t).map(([p]) => p);
        // Pick min(k, n) distinct leaf positions, deterministically from `seed`.
        const chosen = paths
          .map((p, i) => ({ p, r: (i * 7919 + seed) % 104729 }))
          .sort((a, b) => a.r - b.r)
          .slice(0, Math.min(k, paths.length))
          .map(({ p }) => p);
        const shared = new TensorLike([42]);
        for (const p of chosen) setkeypath(t, p, shared);
        const others = objectLeafPaths(t).filter((p) => getkeypath(t, p) !== shared);

        const out = fmap(bump, t);
        const first = getkeypath(out, chosen[0]!);
        expect(first).toBeInstanceOf(TensorLike);
        expect(first).not.toBe(shared);
        for (const p of chosen) expect(getkeypath(out, p)).toBe(first);
        const outOthers = new Set(others.map((p) => getkeypath(out, p)));
        expect(outOthers.size).toBe(others.length);
        expect(outOthers.has(first)).toBe(false);
      }),
    );
  });

  it("fmap over several trees equals the leafwise zip", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const t2 = fmap(bump, t);
        const t3 = fmapstructure(bump, t2); // a plain-object twin zips with class instances too
        const zipped = fmap((...parts: unknown[]) => new Zipped(parts), t, t2, t3);
        const expected = fleaves(t).map((l, i) => [l, fleaves(t2)[i], fleaves(t3)[i]]);
        expect(fleaves(zipped).map((z) => (z as Zipped).parts)).toEqual(expected);
        expectSameShape(
          fmap((...parts: unknown[]) => parts[0], t, t2, t3),
          t,
        );
      }),
    );
  });

  it("fleaves(fmap(f, t)) equals fleaves(t).map(f) for trees without sharing", () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(fleaves(fmap(bump, t))).toEqual(fleaves(t).map(bump));
      }),
    );
  });
});
