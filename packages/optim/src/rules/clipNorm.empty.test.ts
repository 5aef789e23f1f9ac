// ClipNorm on a parameter with no elements: LinearAlgebra's norm of an empty array is 0 for every p, so the
// (empty) gradient passes through; max/min of nothing would throw.
import { tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { ClipNorm, setup, update } from "../index.js";

describe("ClipNorm with an empty gradient", () => {
  for (const p of [2, 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, 3]) {
    it(`p = ${p}: the norm is 0 and the update is the empty gradient`, () => {
      const model = { w: tensor([], [0, 3]) };
      const state = setup(ClipNorm(1, p), model);
      const [, next] = update(state, model, { w: tensor([], [0, 3]) });
      expect(next.w.shape).toEqual([0, 3]);
    });
  }
});
