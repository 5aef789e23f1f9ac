import { describe, expect, it } from "vitest";
import { checkOptionKeys } from "./checkOptionKeys.js";

class TestArgumentError extends Error {}
const fail = (message: string) => new TestArgumentError(message);
const KNOWN = ["batchsize", "shuffle", "partial"];

describe("checkOptionKeys", () => {
  it("returns the options, or {} for undefined", () => {
    const opts = { shuffle: true };
    expect(checkOptionKeys("f", opts, KNOWN, fail)).toBe(opts);
    expect(checkOptionKeys("f", undefined, KNOWN, fail)).toEqual({});
  });

  it("refuses an unknown key with the caller's error, naming the likely key and every known one", () => {
    expect(() => checkOptionKeys("DataLoader", { batchSize: 5 }, KNOWN, fail)).toThrow(TestArgumentError);
    expect(() => checkOptionKeys("DataLoader", { batchSize: 5 }, KNOWN, fail)).toThrow(
      'DataLoader: unknown option "batchSize"; did you mean "batchsize"? Known options: batchsize, shuffle, partial.',
    );
    expect(() => checkOptionKeys("f", { workers: 2 }, KNOWN, fail)).toThrow(
      'f: unknown option "workers". Known options: batchsize, shuffle, partial.',
    );
    expect(() => checkOptionKeys("f", { x: 1 }, [], fail)).toThrow("Known options: (none).");
  });

  it.each([
    [null, "null"],
    [[1], "an array"],
    [3, "number 3"],
  ])("refuses %j as options", (opts, what) => {
    expect(() => checkOptionKeys("f", opts, KNOWN, fail)).toThrow(
      `f: options must be an object like { batchsize: ... }, got ${what}.`,
    );
  });
});
