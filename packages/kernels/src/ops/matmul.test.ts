// Batched matmul with a batch of one on one side: NNlib's batched_mul shares it with every batch of the
// other (`A ⊠ B` with size(B, 3) == 1 uses B[:, :, 1] for each k).
import { describe, expect, it } from "vitest";
import { gradient } from "../autodiff/gradient.js";
import { ShapeError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { tensor } from "./creation.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";

const f64 = (data: number[], shape: number[]) => tensor(data, shape, { dtype: "f64" });
const values = (t: Tensor) => Array.from(t.dataSync() as Float64Array);

describe("matmul with a batch of one on one side", () => {
  // A = [1 2; 3 4] (2×2, one batch), B[:, :, 1] = I, B[:, :, 2] = [0 1; 1 0]
  const A = () => f64([1, 3, 2, 4], [2, 2, 1]);
  const B = () => f64([1, 0, 0, 1, 0, 1, 1, 0], [2, 2, 2]);

  it("shares A[:, :, 1] with every batch of B, and B[:, :, 1] with every batch of A", () => {
    const c = matmul(A(), B());
    expect(c.shape).toEqual([2, 2, 2]);
    expect(values(c)).toEqual([1, 3, 2, 4, 2, 4, 1, 3]); // A, then A with its columns swapped
    const d = matmul(B(), A());
    expect(d.shape).toEqual([2, 2, 2]);
    expect(values(d)).toEqual([1, 3, 2, 4, 3, 1, 4, 2]); // A, then A with its rows swapped
  });

  it("the shared side's gradient is the sum over the batches, in its own shape", () => {
    const [gA, gB] = gradient((a: Tensor, b: Tensor) => sum(matmul(a, b)), A(), B()) as [Tensor, Tensor];
    // d sum(A B_k) / dA = ones * B_kᵀ summed over k: row sums of B_1 + B_2 are [1 1] + [1 1]
    expect(gA.shape).toEqual([2, 2, 1]);
    expect(values(gA)).toEqual([2, 2, 2, 2]);
    // d sum(A B_k) / dB_k = Aᵀ ones: column sums of A, [4 6], in every column
    expect(gB.shape).toEqual([2, 2, 2]);
    expect(values(gB)).toEqual([4, 6, 4, 6, 4, 6, 4, 6]);
  });

  it("still refuses batches that differ otherwise", () => {
    expect(() =>
      matmul(f64([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), f64(new Array(12).fill(1), [2, 2, 3])),
    ).toThrow(ShapeError);
  });
});
