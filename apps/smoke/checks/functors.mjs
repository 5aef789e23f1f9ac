// @flux/functors as a user meets it: fmap keeps ties, zips several trees, fleaves walks each
// object once, functor(Class, fields) restricts children and keeps the prototype.
import * as functorsModule from "@flux/functors";

// A plain copy: the export checks below look names up dynamically.
const functors = { ...functorsModule };
const { fmap, fleaves, functor, leaf } = functors;
const double = (x) => (typeof x === "number" ? 2 * x : x);

export default function (t) {
  t.check("exports its public names (the README's API) from the built package", () => {
    for (const name of [
      "fmap",
      "fmapstructure",
      "fmapWithPath",
      "fleaves",
      "fcollect",
      "children",
      "isleaf",
      "trainable",
      "functor",
      "leaf",
      "getkeypath",
    ])
      t.equal(typeof functors[name], "function", `export ${name}`);
  });

  t.check("fmap rebuilds objects and arrays, applying f to leaves", () => {
    const out = fmap(double, { a: 1, b: [2, 3], c: { d: 4, s: "x" } });
    t.deepEqual(out, { a: 2, b: [4, 6], c: { d: 8, s: "x" } });
  });

  t.check("fmap keeps tied leaves tied (one f call, one result object)", () => {
    const w = new Float32Array([1, 2]);
    let calls = 0;
    const grow = (x) => {
      if (!(x instanceof Float32Array)) return x;
      calls += 1;
      return x.map((v) => v + 1);
    };
    const out = fmap(grow, { enc: { w }, dec: { w }, bias: new Float32Array([0]) });
    t.ok(out.enc.w === out.dec.w, "enc.w and dec.w must be the same object");
    t.ok(out.enc.w !== w, "the input must not be reused");
    t.deepEqual(Array.from(out.enc.w), [2, 3]);
    t.equal(calls, 2, "f calls (tied w once + bias once)");
  });

  t.check("fmap never caches primitives", () => {
    let calls = 0;
    fmap(
      (x) => {
        calls += 1;
        return x;
      },
      [1, 1, 1],
    );
    t.equal(calls, 3);
  });

  t.check("fmap with several trees zips leaves; shape from the first", () => {
    const out = fmap((a, b) => a + b, { a: 1, b: [2, 3] }, { a: 10, b: [20, 30] });
    t.deepEqual(out, { a: 11, b: [22, 33] });
  });

  t.check("fmap with mismatched trees throws", () => {
    t.equal(typeof fmap, "function", "export fmap"); // else the throw below would prove nothing
    t.throws(() => fmap((a, b) => a + b, { a: 1, b: [2, 3] }, { a: 1, b: [2] }));
  });

  t.check("fleaves is depth-first and lists each object once", () => {
    const w = new Float32Array(2);
    t.deepEqual(fleaves({ a: w, b: [1, w, "s"], c: { d: 2 } }), [w, 1, "s", 2]);
  });

  t.check("class instances are containers that keep their prototype", () => {
    class Pair {
      constructor(x, y) {
        this.x = x;
        this.y = y;
      }
    }
    const out = fmap(double, new Pair(1, 2));
    t.ok(out instanceof Pair, "prototype kept");
    t.deepEqual([out.x, out.y], [2, 4]);
  });

  t.check("functor(Class, fields) restricts which fields are children", () => {
    class Scaled {
      constructor(weight, scale) {
        this.weight = weight;
        this.scale = scale;
      }
    }
    functor(Scaled, ["weight"]);
    const out = fmap(double, new Scaled([1, 2], 5));
    t.ok(out instanceof Scaled, "prototype kept");
    t.deepEqual(out.weight, [2, 4]);
    t.equal(out.scale, 5, "a non-child field is left as it was");
    t.deepEqual(fleaves(new Scaled([1, 2], 5)), [1, 2]);
  });

  t.check("leaf(Class) makes a class a leaf", () => {
    class Opaque {
      constructor(v) {
        this.v = v;
      }
    }
    leaf(Opaque);
    const o = new Opaque(1);
    t.deepEqual(fleaves({ o }), [o]);
  });
}
