// Hand-worked values of the losses beyond the first six (Flux's docstring examples where they have one);
// the conformance suite checks them against Flux's formulas with gradients on every backend.
import { gradient, mean, sum, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  binarycrossentropy,
  binaryFocalLoss,
  crossentropy,
  diceCoeffLoss,
  focalLoss,
  hingeLoss,
  huberLoss,
  kldivergence,
  LayerArgumentError,
  LayerInputError,
  labelSmoothing,
  msle,
  poissonLoss,
  siameseContrastiveLoss,
  squaredHingeLoss,
  tverskyLoss,
  xlogx,
  xlogy,
} from "../index.js";

const v = (t: Tensor) => t.itemSync();
const arr = (t: Tensor) => Array.from(t.dataSync() as Float32Array);

describe("Flux.Losses beyond the first six", () => {
  test("msle, huber, poisson: by hand", () => {
    // Flux's docstring: msle(Float32[1.1, 2.2, 3.3], 1:3) ≈ 0.009084041
    expect(v(msle(tensor([1.1, 2.2, 3.3], [3]), tensor([1, 2, 3], [3])))).toBeCloseTo(0.009084041, 6);
    expect(v(huberLoss(tensor([0.5, 3], [2]), tensor([0, 0], [2])))).toBeCloseTo((0.125 + 2.5) / 2, 6);
    expect(v(huberLoss(tensor([0.5, 3], [2]), tensor([0, 0], [2]), { delta: 2, agg: sum }))).toBeCloseTo(
      0.125 + 2 * (3 - 1),
      6,
    );
    expect(() => huberLoss(tensor([1], [1]), tensor([1], [1]), { delta: 0 })).toThrow(LayerArgumentError);
    expect(v(poissonLoss(tensor([1, 2], [2]), tensor([1, 2], [2])))).toBeCloseTo(
      (1 + 2 - 2 * Math.log(2)) / 2,
      6,
    );
  });

  test("kldivergence: zero for equal distributions, positive otherwise (Flux's docstring)", () => {
    const p1 = tensor([1, 0, 0, 1], [2, 2]);
    const p2 = tensor([0.5, 0.5, 0.5, 0.5], [2, 2]);
    expect(v(kldivergence(p2, p2))).toBeCloseTo(0, 6);
    expect(v(kldivergence(p1, p2))).toBeGreaterThan(0);
    expect(arr(xlogx(tensor([0, 1, 2], [3])))).toEqual([0, 0, 2 * Math.fround(Math.log(2))].map(Math.fround));
  });

  test("hinge losses, dice, tversky, siamese: by hand", () => {
    const ŷ = tensor([2, 0.5, -1], [3]);
    const y = tensor([1, 1, 1], [3]);
    expect(v(hingeLoss(ŷ, y))).toBeCloseTo((0 + 0.5 + 2) / 3, 6);
    expect(v(squaredHingeLoss(ŷ, y, { agg: sum }))).toBeCloseTo(0.25 + 4, 6);
    const p = tensor([1, 0, 1, 0], [4]);
    expect(v(diceCoeffLoss(p, p))).toBeCloseTo(0, 6);
    expect(v(diceCoeffLoss(tensor([0.5, 0.5], [2]), tensor([1, 0], [2])))).toBeCloseTo(1 - 2 / 2.5, 6);
    expect(v(tverskyLoss(p, p))).toBeCloseTo(0, 6);
    // ŷ = [1, 0], y = [0, 1]: num 1, den 0.7 + 0.3 + 1
    expect(v(tverskyLoss(tensor([1, 0], [2]), tensor([0, 1], [2])))).toBeCloseTo(1 - 1 / 2, 6);
    expect(
      v(siameseContrastiveLoss(tensor([0.5, 0.2], [2]), tensor([0, 1], [2]), { margin: 1 })),
    ).toBeCloseTo((0.25 + 0.64) / 2, 6);
    expect(() => siameseContrastiveLoss(ŷ, y, { margin: -1 })).toThrow(LayerArgumentError);
    expect(() => hingeLoss(ŷ, tensor([1, 1], [2]))).toThrow(LayerInputError);
  });

  test("focal losses with gamma 0 are the cross-entropies", () => {
    const ŷ = tensor([0.1, 0.9, 0.4, 0.6], [2, 2]);
    const y = tensor([0, 1, 1, 0], [2, 2]);
    expect(v(binaryFocalLoss(ŷ, y, { gamma: 0 }))).toBeCloseTo(v(binarycrossentropy(ŷ, y)), 5);
    expect(v(focalLoss(ŷ, y, { gamma: 0 }))).toBeCloseTo(v(crossentropy(ŷ, y)), 5);
    expect(v(focalLoss(ŷ, y))).toBeLessThan(v(crossentropy(ŷ, y)));
  });

  test("labelSmoothing as Flux's docstring", () => {
    const y = tensor([0, 1, 0, 1, 0, 1], [2, 3]);
    expect(arr(labelSmoothing(y, 0.2)).map((x) => Math.round(x * 1e6) / 1e6)).toEqual([
      0.1, 0.9, 0.1, 0.9, 0.1, 0.9,
    ]);
    expect(
      arr(labelSmoothing(tensor([1, 0], [2]), 0.2, { dims: 0 })).map((x) => Math.round(x * 1e6) / 1e6),
    ).toEqual([0.9, 0.1]);
    expect(() => labelSmoothing(y, 1)).toThrow(LayerArgumentError);
    expect(v(mean(labelSmoothing(y, 0.5)))).toBeCloseTo(0.5, 6);
  });
});

describe("xlogy's gradient follows Flux's rule for xlogy.(x, y)", () => {
  test("the gradient with respect to x is Δ log(y), also where x == 0; y's is Δ x / y", () => {
    const x = tensor([0, 0, 0.5, 2, 0], [5]);
    const y = tensor([0.25, 2, 0.5, 3, 0], [5]);
    expect(arr(xlogy(x, y))).toEqual([0, 0, 0.5 * Math.log(0.5), 2 * Math.log(3), 0].map(Math.fround));
    const [dx, dy] = gradient((a: Tensor, b: Tensor) => sum(xlogy(a, b)), x, y) as [Tensor, Tensor];
    // Where x == 0 and y == 0 (log(y) = -Inf): x's gradient is 0 rather than Flux's -Inf; y's is 0 / 0 as Flux.
    const ln = [0.25, 2, 0.5, 3].map((t) => Math.fround(Math.log(t)));
    expect(arr(dx)).toEqual([...ln, 0]);
    expect(arr(dy)).toEqual([0, 0, 1, 2 / 3, Number.NaN].map(Math.fround));
  });

  test("crossentropy's gradient with respect to one-hot targets is -log(ŷ + ϵ) / n at every class", () => {
    const ŷ = tensor([0.1, 0.9, 0.4, 0.6], [2, 2]);
    const y = tensor([0, 1, 1, 0], [2, 2]);
    const [, gy] = gradient((a: Tensor, b: Tensor) => crossentropy(a, b), ŷ, y) as [Tensor, Tensor];
    const ϵ = 1.1920928955078125e-7;
    const want = [0.1, 0.9, 0.4, 0.6].map((p) => -Math.log(Math.fround(p) + ϵ) / 2);
    arr(gy).forEach((g, i) => {
      expect(g).toBeCloseTo(want[i]!, 6);
    });
  });
});
