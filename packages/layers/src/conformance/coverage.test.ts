// The case list (./cases.ts) is the one source of the layer conformance suite: these tests fail when a
// layer class exported from @flux/layers has no layer case (so a new layer cannot ship without one), when a
// case lacks its reference values, or when ./fixtures.ts keeps numbers no case uses.
import { tensor, type Tensor, tidy } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import * as layers from "../index.js";
import { AbstractLayer } from "../layers/base.js";
import { LAYER_CASES } from "./cases.js";
import { detValues } from "./det.js";
import { FIXTURES } from "./fixtures.js";

/** Every exported layer class (callable constructors whose instances are AbstractLayers). */
const LAYER_CLASSES = Object.entries(layers).filter(
  ([, v]) => typeof v === "function" && v !== AbstractLayer && v.prototype instanceof AbstractLayer,
) as [string, { prototype: object }][];

/** The prototype of each layer case's layer, built on the CPU in f32. */
const built = tidy(() =>
  LAYER_CASES.filter((c) => c.layer !== undefined).map((c) => {
    const t: Record<string, Tensor> = {};
    for (const [name, spec] of Object.entries(c.tensors)) t[name] = tensor(detValues(spec), [...spec.shape]);
    return { name: c.name, proto: Object.getPrototypeOf(c.layer!(t)) as object };
  }),
);

describe("every exported layer class has a layer case", () => {
  it("finds the layer classes among the exports", () => {
    expect(LAYER_CLASSES.map(([name]) => name)).toEqual(expect.arrayContaining(["Dense", "Chain", "Conv"]));
    expect(LAYER_CLASSES.length).toBeGreaterThanOrEqual(30);
  });

  for (const [name, cls] of LAYER_CLASSES) {
    it(name, () => {
      const cases = built.filter((b) => b.proto === cls.prototype).map((b) => b.name);
      expect(cases, `no case in conformance/cases.ts builds a ${name}: add one`).not.toEqual([]);
    });
  }
});

describe("the case list", () => {
  it("has unique names", () => {
    const names = LAYER_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("gives every layer case its Flux text", () => {
    for (const c of LAYER_CASES) if (c.layer) expect(c.show, c.name).toEqual(expect.any(String));
  });

  it("has reference values for every case (make_fixtures.py or `expected`)", () => {
    for (const c of LAYER_CASES) expect(c.expected ?? FIXTURES[c.name], c.name).toBeDefined();
  });

  it("has no fixture without its case", () => {
    const names = new Set(LAYER_CASES.filter((c) => c.expected === undefined).map((c) => c.name));
    expect(Object.keys(FIXTURES).filter((n) => !names.has(n))).toEqual([]);
  });
});
