import {
  gradient,
  ones,
  randn,
  rng,
  setDefaultRng,
  ShapeError,
  sum,
  type Tensor,
  zeros,
} from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  dotProductAttention,
  LayerArgumentError,
  LayerInputError,
  makeCausalMask,
  MultiHeadAttention,
  state,
  trainmode,
} from "../index.js";

const arr = (t: Tensor) => Array.from(t.dataSync() as Float32Array);

describe("MultiHeadAttention (Flux 0.16)", () => {
  test("prints Flux's forms of the dims", () => {
    expect(String(MultiHeadAttention([[3, 4, 5], [6, 7], 8], { nheads: 1 }))).toBe(
      "MultiHeadAttention((3, 4, 5) => (6, 7) => 8; nheads=1)  # 133 parameters",
    );
    expect(String(MultiHeadAttention([3, [6, 7], 8], { nheads: 1 }))).toContain(
      "MultiHeadAttention(3 => (6, 7) => 8; nheads=1)",
    );
    expect(String(MultiHeadAttention([3, 6, 8], { nheads: 1 }))).toContain(
      "MultiHeadAttention(3 => 6 => 8; nheads=1)",
    );
    expect(String(MultiHeadAttention(8, { bias: true }))).toBe(
      "MultiHeadAttention(8; nheads=8, bias=true)  # 288 parameters",
    );
    expect(String(MultiHeadAttention(8, { nheads: 2, dropoutProb: 0.1 }))).toContain("dropout_prob=0.1");
  });

  test("shapes, self-attention and shared key/value forms, as Flux's tests", () => {
    const [dim, nheads, len, batch] = [4, 2, 3, 5];
    const mha = MultiHeadAttention(dim, { nheads });
    const q = randn([dim, len, batch]);
    const k = randn([dim, len, batch]);
    const v = randn([dim, len, batch]);
    const [y, α] = mha.forward(q, k, v);
    expect(y.shape).toEqual([dim, len, batch]);
    expect(α.shape).toEqual([len, len, nheads, batch]);
    expect(arr(mha.forward(q)[0])).toEqual(arr(mha.forward(q, q, q)[0]));
    expect(arr(mha.forward(q, k)[1])).toEqual(arr(mha.forward(q, k, k)[1]));
    const mha2 = MultiHeadAttention([4, 10, 5], { nheads: 5 });
    expect(mha2.forward(q, k, v)[0].shape).toEqual([5, len, batch]);
    expect(() => MultiHeadAttention(6, { nheads: 4 })).toThrow(LayerArgumentError);
    expect(() => mha.forward(randn([5, len, batch]))).toThrow(LayerInputError);
  });

  test("a causal mask zeroes the weights of later keys (α is upper triangular per head)", () => {
    const mha = MultiHeadAttention(4, { nheads: 2 });
    const q = randn([4, 3, 5]);
    const [, α] = mha.forward(q, { mask: makeCausalMask(q) });
    const a = arr(α);
    // α[i, j, h, b] at i + 3j + 9h + 18b: key i > query j is masked.
    for (let b = 0; b < 5; b++)
      for (let h = 0; h < 2; h++)
        for (let j = 0; j < 3; j++) {
          let col = 0;
          for (let i = 0; i < 3; i++) {
            const w = a[i + 3 * j + 9 * h + 18 * b]!;
            if (i > j) expect(w).toBe(0);
            col += w;
          }
          expect(col).toBeCloseTo(1, 5);
        }
    // "causal" takes the fused path on the CPU: the same weights to float32 rounding, the same exact zeros.
    const fused = arr(mha.forward(q, { mask: "causal" })[1]);
    for (const [i, w] of fused.entries()) {
      if (a[i] === 0) expect(w).toBe(0);
      else expect(w).toBeCloseTo(a[i]!, 6);
    }
    expect(arr(makeCausalMask(zeros([2, 3])))).toEqual([1, 0, 0, 1, 1, 0, 1, 1, 1]);
  });

  test("gradients reach all four projections; state lists Flux's fields; dropout acts in training", () => {
    setDefaultRng(rng(5));
    const mha = MultiHeadAttention(4, { nheads: 2, bias: true, dropoutProb: 0.5 });
    const x = randn([4, 3, 2]);
    const [g] = gradient((m) => sum(m.forward(x, { mask: "causal" })[0]), mha);
    for (const p of ["q_proj", "k_proj", "v_proj", "out_proj"] as const) {
      expect(g[p].weight.shape).toEqual([4, 4]);
      expect(arr(g[p].weight).some((w) => w !== 0)).toBe(true);
    }
    expect(Object.keys(state(mha))).toEqual([
      "nheads",
      "q_proj",
      "k_proj",
      "v_proj",
      "attn_drop",
      "out_proj",
    ]);
    const [, αTest] = mha.forward(x); // outside gradient: dropout inactive, columns sum to 1
    expect(arr(sum(αTest, { dims: 1 })).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
    trainmode(mha);
    const [, αTrain] = mha.forward(x);
    expect(arr(αTrain).some((w) => w === 0)).toBe(true);
  });

  test("dotProductAttention without heads or batch dims, and its input checks", () => {
    const q = randn([4, 3]);
    const [y, α] = dotProductAttention(q, randn([4, 6]), randn([2, 6]));
    expect(y.shape).toEqual([2, 3]);
    expect(α.shape).toEqual([6, 3, 1]);
    expect(() => dotProductAttention(q, randn([5, 6]), randn([2, 6]))).toThrow(ShapeError);
    expect(() => dotProductAttention(q, randn([4, 6]), randn([2, 5]))).toThrow(ShapeError);
    expect(() => dotProductAttention(q, q, q, { nheads: 3 })).toThrow(ShapeError);
    expect(arr(dotProductAttention(ones([2, 2]), ones([2, 2]), ones([2, 2]))[1])).toEqual([
      0.5, 0.5, 0.5, 0.5,
    ]);
  });
});
