import { describe, expect, it } from "vitest";
import { niceAxis, smooth, toPoints } from "./lossChart.js";

describe("loss chart geometry", () => {
  it("smooth starts at the first value and follows a constant", () => {
    for (const v of smooth([3, 3, 3])) expect(v).toBeCloseTo(3, 12);
    const s = smooth([2, 1], 0.5);
    expect(s[0]).toBe(2);
    expect(s[1]).toBeCloseTo(4 / 3, 12);
  });

  it("toPoints spreads steps over the width and maps 0..yMax bottom to top", () => {
    const box = { left: 10, top: 5, width: 100, height: 50 };
    expect(toPoints([2, 1, 0], 3, 2, box)).toEqual([
      [10, 5],
      [60, 30],
      [110, 55],
    ]);
  });

  it("toPoints clamps values outside the axis", () => {
    const box = { left: 0, top: 0, width: 10, height: 10 };
    expect(toPoints([5, -1], 2, 2, box)).toEqual([
      [0, 0],
      [10, 10],
    ]);
  });

  it("niceAxis holds the maximum with at most 6 short-labelled gridlines", () => {
    expect(niceAxis(2.31)).toEqual({ max: 2.5, step: 0.5 });
    expect(niceAxis(2.6)).toEqual({ max: 3, step: 0.5 });
    expect(niceAxis(0.7)).toEqual({ max: 0.8, step: 0.2 });
    expect(niceAxis(3)).toEqual({ max: 3, step: 0.5 });
    expect(niceAxis(12)).toEqual({ max: 12, step: 2 });
    expect(niceAxis(0)).toEqual({ max: 1, step: 0.2 });
    for (const m of [0.013, 0.7, 1, 2.31, 4.9, 7.77, 99]) {
      const a = niceAxis(m);
      expect(a.max).toBeGreaterThanOrEqual(m);
      expect(a.max / a.step).toBeLessThanOrEqual(6 + 1e-9);
    }
  });
});
