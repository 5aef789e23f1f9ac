import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "./errors.js";
import { broadcastShapes, broadcastStrides, formatShape, normalizeDims, sizeOf, stridesOf } from "./shape.js";

describe("shape", () => {
  it("uses column-major strides", () => {
    expect(stridesOf([3, 4, 5])).toEqual([1, 3, 12]);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([3, 0])).toBe(0);
  });

  it("broadcasts from the first dim, missing trailing dims being 1 (Julia)", () => {
    expect(broadcastShapes([3, 4], [3])).toEqual([3, 4]);
    expect(broadcastShapes([3, 1], [1, 4])).toEqual([3, 4]);
    expect(broadcastShapes([], [2, 2])).toEqual([2, 2]);
    expect(() => broadcastShapes([3, 4], [4])).toThrow(ShapeError);
    expect(() => broadcastShapes([3, 4], [4])).toThrow(/dim 1 is 3 vs 4/);
    expect(broadcastStrides([3], [3, 4])).toEqual([1, 0]);
  });

  it("converts 1-based dims and rejects 0", () => {
    expect(normalizeDims([2, 1, 2], 3, "sum")).toEqual([0, 1]);
    expect(normalizeDims(4, 3, "sum")).toEqual([]);
    expect(() => normalizeDims(0, 3, "sum")).toThrow(ArgumentError);
    expect(() => normalizeDims(0, 3, "sum")).toThrow(/1-based/);
  });

  it("formats sizes as Julia", () => {
    expect(formatShape([3, 2])).toBe("3×2");
    expect(formatShape([5])).toBe("5-element");
    expect(formatShape([])).toBe("0-dimensional");
  });
});
