// A generator that is not an Rng, or a flag that is not a boolean, is named when the loader or view is
// made, not at the first shuffled epoch ("rng.int is not a function") or never (`shuffle: "no"` was true).
import { rng, zeros } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { DataArgumentError, DataLoader, randomFlip, shuffleobs, splitobs } from "./index.js";

const X = zeros([2, 10]);

describe("rng options", () => {
  it.each([
    ["an empty object", {}],
    ["a number", 42],
    ["a function", () => 0.5],
    ["null", null],
  ])("%s", (_name, bad) => {
    expect(() => DataLoader(X, { shuffle: true, rng: bad as never })).toThrow(DataArgumentError);
    expect(() => DataLoader(X, { shuffle: true, rng: bad as never })).toThrow(
      /DataLoader: rng must be a generator from rng\(seed\)/,
    );
    expect(() => shuffleobs(X, { rng: bad as never })).toThrow(/shuffleobs: rng must be/);
    expect(() => splitobs(X, { at: 0.5, shuffle: true, rng: bad as never })).toThrow(/splitobs: rng must be/);
    expect(() => randomFlip({ rng: bad as never })).toThrow(/randomFlip: rng must be/);
  });
  it("a real generator still works, and shuffleobs refuses a non-object options argument", () => {
    expect([...DataLoader(X, { shuffle: true, rng: rng(1), batchsize: 5 })].length).toBe(2);
    expect(() => shuffleobs(X, 42 as never)).toThrow(/shuffleobs: the options must be an object/);
  });
});

describe("flags", () => {
  it.each(["shuffle", "partial", "parallel", "buffer"])("%s must be a boolean", (flag) => {
    expect(() => DataLoader(X, { [flag]: "no" })).toThrow(DataArgumentError);
    expect(() => DataLoader(X, { [flag]: "no" })).toThrow(
      new RegExp(`DataLoader: ${flag} must be true or false, got string no`),
    );
    expect(() => DataLoader(X, { [flag]: 1 })).toThrow(DataArgumentError);
  });
  it("splitobs shuffle too", () => {
    expect(() => splitobs(X, { at: 0.5, shuffle: "yes" as never })).toThrow(
      /splitobs: shuffle must be true or false/,
    );
  });
});
