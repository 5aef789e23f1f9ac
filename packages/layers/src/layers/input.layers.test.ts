// Every layer taking one tensor (not only Dense and Conv, input.test.ts) names a non-tensor input (a number, a JS array, undefined, a Promise from
// an un-awaited device move) instead of failing inside with "cannot read properties of undefined".
import { UnawaitedPromiseError } from "@flux/functors";
import { add, zeros } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { LayerInputError } from "../errors.js";
import {
  AdaptiveMaxPool,
  BatchNorm,
  Bilinear,
  Chain,
  Conv,
  ConvTranspose,
  Dense,
  Embedding,
  GlobalMeanPool,
  GroupNorm,
  InstanceNorm,
  LayerNorm,
  MaxPool,
  MeanPool,
  Parallel,
  PixelShuffle,
  SkipConnection,
  Upsample,
  apply,
  flatten,
  pixelShuffle,
} from "../index.js";

const layers: [string, () => unknown][] = [
  ["Dense", () => Dense(2, 3)],
  ["Chain", () => Chain(Dense(2, 3))],
  ["BatchNorm", () => BatchNorm(2)],
  ["GroupNorm", () => GroupNorm(4, 2)],
  ["InstanceNorm", () => InstanceNorm(2)],
  ["LayerNorm", () => LayerNorm(2)],
  ["Conv", () => Conv([3, 3], 1, 2)],
  ["ConvTranspose", () => ConvTranspose([3, 3], 1, 2)],
  ["MaxPool", () => MaxPool([2, 2])],
  ["MeanPool", () => MeanPool([2, 2])],
  ["AdaptiveMaxPool", () => AdaptiveMaxPool([2, 2])],
  ["GlobalMeanPool", () => GlobalMeanPool()],
  ["Upsample", () => Upsample(2)],
  ["PixelShuffle", () => PixelShuffle(2)],
  ["SkipConnection", () => SkipConnection(Dense(2, 2), add)],
  ["Parallel", () => Parallel(add, Dense(2, 2), Dense(2, 2))],
  ["Bilinear", () => Bilinear([2, 2], 3)],
  ["flatten", () => flatten],
];

describe.each(layers)("%s refuses an input that is not a tensor", (_name, make) => {
  it.each([
    ["a number", 3, /got number 3/],
    ["a JS array", [[1], [2]], /got a JS array of length \d/],
    ["undefined", undefined, /got undefined/],
  ])("%s", (_what, x, message) => {
    const m = make();
    expect(() => apply(m as never, x)).toThrow(LayerInputError);
    expect(() => apply(m as never, x)).toThrow(message);
    expect(() => apply(m as never, x)).toThrow(/tensor\(data, shape\)/);
  });
  it("a Promise (a missing await)", () => {
    expect(() => apply(make() as never, Promise.resolve(zeros([2, 1])))).toThrow(UnawaitedPromiseError);
  });
});

it("names the layer and the argument", () => {
  expect(() => Dense(2, 3).forward(5 as never)).toThrow(/Dense\(2 => 3\) expects a Tensor, got number 5/);
  expect(() => pixelShuffle(5 as never, 2)).toThrow(/pixelShuffle expects a Tensor, got number 5/);
  expect(() => Bilinear([2, 2], 3).forward(zeros([2, 1]), 7 as never)).toThrow(
    /expects a Tensor as y, got number 7/,
  );
});

it("Embedding names an input that is neither indices nor a tensor", () => {
  const e = Embedding(3, 2);
  expect(() => apply(e, undefined)).toThrow(/expects 0-based token indices .* got undefined/);
  expect(() => apply(e, { a: 1 })).toThrow(LayerInputError);
  expect(() => apply(e, Promise.resolve([1]))).toThrow(UnawaitedPromiseError);
  expect(apply(e, [0, 2]).shape).toEqual([2, 2]);
});
