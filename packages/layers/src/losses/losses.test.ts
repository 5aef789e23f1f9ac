import { sum, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  binarycrossentropy,
  crossentropy,
  LayerInputError,
  logitbinarycrossentropy,
  logitcrossentropy,
  mae,
  mse,
} from "../index.js";

const v = (t: Tensor) => t.itemSync();
const sigm = (x: number) => 1 / (1 + Math.exp(-x));

describe("losses against hand computation", () => {
  const ŷ = tensor([0.1, 0.9, 0.4, 0.6], [2, 2]);
  const y = tensor([0, 1, 1, 0], [2, 2]);

  test("mse and mae with agg", () => {
    expect(v(mse(ŷ, y))).toBeCloseTo((0.01 + 0.01 + 0.36 + 0.36) / 4, 6);
    expect(v(mae(ŷ, y, { agg: sum }))).toBeCloseTo(0.1 + 0.1 + 0.6 + 0.6, 6);
    expect(() => mse(ŷ, tensor([1, 2], [2]))).toThrow(LayerInputError);
  });

  test("crossentropy and logitcrossentropy, dims", () => {
    const eps = 1.1920928955078125e-7;
    const ce = -(Math.log(0.9 + eps) + Math.log(0.4 + eps)) / 2;
    expect(v(crossentropy(ŷ, y))).toBeCloseTo(ce, 5);
    const logits = tensor([1, 2, 3, -1], [2, 2]);
    const lse = (a: number, b: number) => Math.log(Math.exp(a) + Math.exp(b));
    const lce = (-(2 - lse(1, 2)) - (3 - lse(3, -1))) / 2;
    expect(v(logitcrossentropy(logits, y))).toBeCloseTo(lce, 5);
    // dims=2: classes along rows
    const lce2 = (-(1 - lse(1, 3)) - (2 - lse(2, -1))) / 2;
    expect(v(logitcrossentropy(logits, tensor([1, 1, 0, 0], [2, 2]), { dims: 2 }))).toBeCloseTo(lce2, 5);
  });

  test("binary losses; the logit form is stable for large scores", () => {
    const eps = 1.1920928955078125e-7;
    const bce = [0.1, 0.9, 0.4, 0.6].map((p, i) => {
      const t = [0, 1, 1, 0][i]!;
      return -(t * Math.log(p + eps)) - (1 - t) * Math.log(1 - p + eps);
    });
    expect(v(binarycrossentropy(ŷ, y))).toBeCloseTo(bce.reduce((a, b) => a + b) / 4, 5);
    const s = [-2, 0.5, 3, 1];
    const want = s.map(
      (x, i) => -([0, 1, 1, 0][i]! * Math.log(sigm(x)) + (1 - [0, 1, 1, 0][i]!) * Math.log(1 - sigm(x))),
    );
    expect(v(logitbinarycrossentropy(tensor(s, [2, 2]), y))).toBeCloseTo(want.reduce((a, b) => a + b) / 4, 5);
    expect(v(logitbinarycrossentropy(tensor([200], [1]), tensor([0], [1])))).toBeCloseTo(200, 3);
    expect(Number.isFinite(v(logitbinarycrossentropy(tensor([-200], [1]), tensor([1], [1]))))).toBe(true);
  });
});
