// Every layer that needs arguments, called without them (or with `undefined`), throws the package's named
// LayerArgumentError naming the call form, never a raw TypeError from deep inside its constructor.
import { describe, expect, it } from "vitest";
import { LayerArgumentError } from "../errors.js";
import * as layers from "../index.js";

// Layers with no required argument (Chain() is Flux's empty chain; pools without a window are global).
const NO_ARGUMENTS_NEEDED = new Set(["Chain", "GlobalMaxPool", "GlobalMeanPool"]);

const CONSTRUCTORS = [
  "Dense",
  "Bilinear",
  "Scale",
  "Conv",
  "CrossCor",
  "ConvTranspose",
  "DepthwiseConv",
  "MaxPool",
  "MeanPool",
  "AdaptiveMaxPool",
  "AdaptiveMeanPool",
  "LayerNorm",
  "BatchNorm",
  "GroupNorm",
  "InstanceNorm",
  "Embedding",
  "Dropout",
  "AlphaDropout",
  "SkipConnection",
  "Parallel",
  "PairwiseFusion",
  "Maxout",
  "Upsample",
  "MultiHeadAttention",
  "RNN",
  "LSTM",
  "GRU",
  "RNNCell",
  "LSTMCell",
  "GRUCell",
  "Recurrence",
] as const;

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
