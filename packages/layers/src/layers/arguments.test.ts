// Every layer that needs arguments, called without them (or with `undefined`), throws the package's named
// LayerArgumentError naming the call form, never a raw TypeError from deep inside its constructor.
import { describe, expect, it } from "vitest";
import { LayerArgumentError } from "../errors.js";
import * as layers from "../index.js";

// Layers with no required argument (Chain() is Flux's empty chain; pools without a window are global).
const NO_ARGUMENTS_NEEDED = new Set(["Chain", "GlobalMaxPool", "GlobalMeanPool"]);

// Every layer constructor the package exports: the classes made callable by layerConstructor (their
// constructors carry @flux/functors' callableClass mark) and the capitalised functions that build a layer.
const CALLABLE = Symbol.for("flux.callableClass");
const CONSTRUCTORS = Object.entries(layers as unknown as Record<string, unknown>)
  .filter(
    ([name, v]) =>
      typeof v === "function" &&
      ((v as unknown as Record<symbol, unknown>)[CALLABLE] === true || name === "DepthwiseConv") &&
      !NO_ARGUMENTS_NEEDED.has(name),
  )
  .map(([name]) => name);

it("the list covers every layer (a new layer is checked without being listed)", () => {
  expect(CONSTRUCTORS.length).toBeGreaterThanOrEqual(33);
  for (const name of [
    "Dense",
    "Conv",
    "DepthwiseConv",
    "GRUv3",
    "GRUv3Cell",
    "PairwiseFusion",
    "PixelShuffle",
  ])
    expect(CONSTRUCTORS).toContain(name);
});

describe("layer constructors without their arguments", () => {
  const table = layers as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of CONSTRUCTORS) {
    it(`${name}() and ${name}(undefined) throw LayerArgumentError`, () => {
      expect(NO_ARGUMENTS_NEEDED.has(name)).toBe(false);
      expect(typeof table[name]).toBe("function");
      for (const args of [[], [undefined]]) {
        let thrown: unknown;
        try {
          table[name]!(...args);
        } catch (e) {
          thrown = e;
        }
        expect(thrown, `${name}(${args.map(String).join(", ")})`).toBeInstanceOf(LayerArgumentError);
        expect((thrown as Error).message).toMatch(/^\[@flux\/layers\] /);
      }
    });
  }

  it("Chain(undefined) names the bad argument", () => {
    expect(() => layers.Chain(undefined as never)).toThrow(LayerArgumentError);
  });

  it("the messages give the call form", () => {
    expect(() => (layers.Dense as unknown as () => unknown)()).toThrow(/Dense\(in, out, σ\?, opts\?\)/);
    expect(() => (layers.Conv as unknown as () => unknown)()).toThrow(/Conv\(kernel, in, out, σ\?, opts\?\)/);
    expect(() => (layers.LayerNorm as unknown as () => unknown)()).toThrow(/LayerNorm\(size, λ\?, opts\?\)/);
  });
});

// Arguments of the wrong type: any layer called with them either builds (a few are valid forms of some
// layer) or throws LayerArgumentError, never a TypeError from a property read deep inside.
const WRONG: readonly unknown[][] = [
  ["a"],
  [null],
  [true],
  [Number.NaN],
  [-1],
  [1.5],
  [[]],
  [{}],
  [2, "3"],
  [2, null],
  [2, -3],
  ["2", 3],
  [2, 3, "relu"],
  [2, 3, null, 5],
  [2, 3, undefined, null],
  [[2, 2], 1, 2, 7],
  [[2, 2], 1, 2, undefined, null],
];

describe("layer constructors with arguments of the wrong type", () => {
  const table = layers as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of CONSTRUCTORS) {
    it(`${name}: a built layer or a LayerArgumentError, nothing else`, () => {
      for (const args of WRONG) {
        try {
          table[name]!(...args);
        } catch (e) {
          expect(e, `${name}(${args.map((a) => JSON.stringify(a)).join(", ")})`).toBeInstanceOf(
            LayerArgumentError,
          );
        }
      }
    });
  }

  // Garbage that used to be accepted and failed only at the first forward (or never).
  const REFUSED: readonly [string, unknown[]][] = [
    ["Dense", [2, 3, "relu"]],
    ["Dense", [2, 3, undefined, 5]],
    ["Conv", [[2, 2], 1, 2, 7]],
    ["ConvTranspose", [[2, 2], 1, 2, undefined, "pad"]],
    ["BatchNorm", [2, "relu"]],
    ["BatchNorm", [2, undefined, null]],
    ["LayerNorm", [2, undefined, null]],
    ["Scale", [2, undefined, 7]],
    ["GroupNorm", [4, 2, "relu"]],
    ["InstanceNorm", [2, undefined, []]],
    ["Embedding", [2, 3, null]],
    ["MaxPool", [2, null]],
    ["MeanPool", [2, "same"]],
    ["Dropout", [null]],
    ["Dropout", [true]],
    ["AlphaDropout", [[]]],
    ["Bilinear", [2, 3, "relu"]],
    ["RNNCell", [2, 3, 1]],
    ["LSTMCell", [2, 3, null]],
    ["GRU", [2, 3, null]],
    ["Upsample", [-1]],
    ["Upsample", [null]],
    ["Upsample", ["nearest", { size: [0, 2] }]],
    ["MultiHeadAttention", [8, null]],
  ];
  for (const [name, args] of REFUSED) {
    it(`${name}(${args.map((a) => JSON.stringify(a) ?? "undefined").join(", ")}) is refused`, () => {
      expect(() => table[name]!(...args)).toThrow(LayerArgumentError);
    });
  }
});
