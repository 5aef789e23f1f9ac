// pow's gradient at a == 0, as ChainRules' rule for ^ (and ForwardDiff's, which Zygote's broadcast uses):
// d(a^b)/da is 0 where b == 0 (a^0 is constant) and d(a^b)/db is 0 where a == 0 and b > 0; the plain
// formulas give 0 * 0^-1 and 0 * log(0), NaN.
import { describe, expect, test } from "vitest";
import { gradient } from "../autodiff/gradient.js";
import { tensor } from "./creation.js";
import { pow } from "./elementwise.js";
import { sum } from "./reduce.js";

const read = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync(), (v) => v + 0);

describe("pow's gradient where the base is 0", () => {
  for (const dtype of ["f32", "f64"] as const) {
    test(`${dtype}: a number exponent`, () => {
      const a = tensor([0, 1, 3, -2], [4], { dtype });
      // b = 0: every derivative 0 (NaN at a == 0 before).
      expect(read(gradient((x) => sum(pow(x, 0)), a)[0]!)).toEqual([0, 0, 0, 0]);
      // b = 2: 2a; b = 1: 1 (also at 0); b = 0.5: Inf at 0, as ChainRules.
      expect(read(gradient((x) => sum(pow(x, 2)), a)[0]!)).toEqual([0, 2, 6, -4]);
      expect(read(gradient((x) => sum(pow(x, 1)), a)[0]!)).toEqual([1, 1, 1, 1]);
      const half = read(gradient((x) => sum(pow(x, 0.5)), tensor([0, 4], [2], { dtype }))[0]!);
      expect(half).toEqual([Number.POSITIVE_INFINITY, 0.25]);
    });

    test(`${dtype}: a tensor exponent`, () => {
      const a = tensor([0, 0, 0, 2, 0], [5], { dtype });
      const b = tensor([2, 0, 0.5, 3, -1], [5], { dtype });
      const [ga, gb] = gradient((x, y) => sum(pow(x, y)), a, b);
      // d/da: b a^(b-1): 2·0, 0 (b == 0), 0.5·0^-0.5 = Inf, 3·4, -1·0^-2 = -Inf.
      expect(read(ga!)).toEqual([0, 0, Number.POSITIVE_INFINITY, 12, Number.NEGATIVE_INFINITY]);
      // d/db: a^b log(a): 0 where a == 0 and b > 0 (ChainRules); 8 log 2; NaN where a == 0 and b < 0
      // (ChainRules); 0 at 0^0 (PyTorch's value; ChainRules gives NaN there, the formula 1·-Inf).
      const g = read(gb!);
      expect(g[0]).toBe(0);
      expect(g[2]).toBe(0);
      expect(g[3]).toBeCloseTo(8 * Math.log(2), 5);
      expect(g[1]).toBe(0);
      expect(g[4]).toBeNaN();
    });
  }
});
