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

// Extra positional arguments and unknown option keys: every layer with a fixed call form refuses them with
// LayerArgumentError naming the bad argument or key and what it accepts. Each entry is a valid call with
// every positional argument given, the options object last where the layer takes one.
const relu = (x: unknown) => x;
const FULL_CALLS: Readonly<Record<string, { args: unknown[]; options: boolean }>> = {
  AdaptiveMaxPool: { args: [[2, 2]], options: false },
  AdaptiveMeanPool: { args: [[2, 2]], options: false },
  AlphaDropout: { args: [0.5, {}], options: true },
  BatchNorm: { args: [2, relu, {}], options: true },
  Bilinear: { args: [2, 3, relu, {}], options: true },
  Conv: { args: [[2, 2], 1, 2, relu, {}], options: true },
  ConvTranspose: { args: [[2, 2], 1, 2, relu, {}], options: true },
  CrossCor: { args: [[2, 2], 1, 2, relu, {}], options: true },
  Dense: { args: [2, 3, relu, {}], options: true },
  DepthwiseConv: { args: [[2, 2], 2, 4, relu, {}], options: true },
  Dropout: { args: [0.5, {}], options: true },
  Embedding: { args: [4, 3, {}], options: true },
  GlobalMaxPool: { args: [], options: false },
  GlobalMeanPool: { args: [], options: false },
  GroupNorm: { args: [4, 2, relu, {}], options: true },
  GRU: { args: [2, 3, {}], options: true },
  GRUCell: { args: [2, 3, {}], options: true },
  GRUv3: { args: [2, 3, {}], options: true },
  GRUv3Cell: { args: [2, 3, {}], options: true },
  InstanceNorm: { args: [2, relu, {}], options: true },
  LayerNorm: { args: [2, relu, {}], options: true },
  LSTM: { args: [2, 3, {}], options: true },
  LSTMCell: { args: [2, 3, {}], options: true },
  MaxPool: { args: [2, {}], options: true },
  MeanPool: { args: [2, {}], options: true },
  MultiHeadAttention: { args: [4, { nheads: 2 }], options: true },
  PixelShuffle: { args: [2], options: false },
  RNN: { args: [2, 3, relu, {}], options: true },
  RNNCell: { args: [2, 3, relu, {}], options: true },
  Scale: { args: [2, relu, {}], options: true },
  SkipConnection: { args: [relu, (y: unknown) => y], options: false },
  Upsample: { args: ["nearest", { scale: 2 }], options: true },
};
// Layers that take any number of layers: there is no "extra" argument to refuse, and no options object.
const VARIADIC = new Set(["Chain", "Maxout", "PairwiseFusion", "Parallel"]);
// The forms that wrap an existing cell, Recurrence included: `(cell, opts?)`.
const CELL_CALLS: readonly [string, () => unknown][] = [
  ["RNN", () => layers.RNNCell(2, 3)],
  ["LSTM", () => layers.LSTMCell(2, 3)],
  ["GRU", () => layers.GRUCell(2, 3)],
  ["GRUv3", () => layers.GRUv3Cell(2, 3)],
  ["Recurrence", () => layers.RNNCell(2, 3)],
];

describe("layer constructors refuse extra arguments and unknown options", () => {
  const table = layers as unknown as Record<string, (...args: unknown[]) => unknown>;

  it("the table covers every layer constructor", () => {
    const all = [...CONSTRUCTORS, ...NO_ARGUMENTS_NEEDED].filter(
      (n) => !VARIADIC.has(n) && n !== "Recurrence",
    );
    expect(Object.keys(FULL_CALLS).sort()).toEqual(all.sort());
  });

  for (const [name, { args, options }] of Object.entries(FULL_CALLS)) {
    it(`${name}: the full call builds, one more argument is refused naming it`, () => {
      expect(() => table[name]!(...args)).not.toThrow();
      // Trailing undefineds are not arguments given (as in a call that leaves them out).
      expect(() => table[name]!(...args, undefined)).not.toThrow();
      const extra = () => table[name]!(...args, 99);
      expect(extra).toThrow(LayerArgumentError);
      expect(extra).toThrow(
        new RegExp(`too many arguments: .*takes at most ${args.length}, got ${args.length + 1}`),
      );
      expect(extra).toThrow(/the first extra one is number 99/);
    });
    if (!options) continue;
    it(`${name}: an unknown option key is refused, naming it and the known ones`, () => {
      const misspelt = [...args.slice(0, -1), { ...(args.at(-1) as object), bais: false }];
      expect(() => table[name]!(...misspelt)).toThrow(LayerArgumentError);
      expect(() => table[name]!(...misspelt)).toThrow(/unknown option "bais".* Known options: \w+/);
    });
  }

  for (const [name, cell] of CELL_CALLS) {
    it(`${name}(cell, opts?): one more argument, or an option but returnState, is refused`, () => {
      expect(() => table[name]!(cell(), { returnState: true })).not.toThrow();
      expect(() => table[name]!(cell(), {}, 99)).toThrow(/too many arguments: .*takes at most 2, got 3/);
      expect(() => table[name]!(cell(), { returnstate: true })).toThrow(
        /unknown option "returnstate"; did you mean "returnState"\? Known options: returnState\./,
      );
    });
  }

  it("a misspelt key is named with the key it was probably meant to be", () => {
    expect(() => layers.Dense(2, 3, undefined, { bais: false } as never)).toThrow(
      /Dense: unknown option "bais"; did you mean "bias"\? Known options: bias, init\./,
    );
    const dense = layers.Dense as unknown as (...a: unknown[]) => unknown;
    expect(() => dense(2, 3, relu, 99)).toThrow(/Dense: options must be a plain object/);
    expect(() => dense(2, 3, relu, {}, 99)).toThrow(
      /Dense: too many arguments: Dense\(in, out, σ\?, opts\?\) takes at most 4, got 5/,
    );
    expect(() => layers.Conv(3, 1, 2, undefined, { stide: 2 } as never)).toThrow(/did you mean "stride"/);
    // CrossCor and DepthwiseConv take no groups (Flux's CrossCor has none; DepthwiseConv sets them to in).
    expect(() => layers.CrossCor(3, 1, 2, undefined, { groups: 1 } as never)).toThrow(
      /unknown option "groups"/,
    );
    expect(() => layers.DepthwiseConv(3, 2, 4, undefined, { groups: 2 } as never)).toThrow(
      /unknown option "groups"/,
    );
    // The sequence layers' own option is known beside the cell's.
    expect(() => layers.LSTM(2, 3, { returnState: true, bias: false })).not.toThrow();
  });
});
