// softmax / logsoftmax at infinite logits, as NNlib's softmax! and logsoftmax!: a line whose max is +Inf
// puts weight 1 on each +Inf entry (normalised by their count) and 0 elsewhere; a line of nothing but -Inf
// is NaN (NNlib's exp(x - max) is exp(NaN) there); NaN stays NaN.
import { describe, expect, test } from "vitest";
import { gradient } from "../autodiff/gradient.js";
import { tensor } from "./creation.js";
import { mul, sum } from "../index.js";
import { logsoftmax, softmax } from "./softmax.js";

const read = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());
const I = Number.POSITIVE_INFINITY;

describe("softmax with +Inf logits (NNlib's limit)", () => {
  // Columns (dims = 1): one +Inf; two +Inf; all -Inf; ordinary; a NaN beside +Inf.
  const cols = [
    [1, I, 2, 0],
    [I, I, 0, -I],
    [-I, -I, -I, -I],
    [0, 0, 0, 0],
    [I, Number.NaN, 0, 1],
  ];
  const want = [
    [0, 1, 0, 0],
    [0.5, 0.5, 0, 0],
    [Number.NaN, Number.NaN, Number.NaN, Number.NaN],
    [0.25, 0.25, 0.25, 0.25],
    [Number.NaN, Number.NaN, Number.NaN, Number.NaN],
  ];
  const wantLog = [
    [-I, 0, -I, -I],
    [-Math.log(2), -Math.log(2), -I, -I],
    [Number.NaN, Number.NaN, Number.NaN, Number.NaN],
    [-Math.log(4), -Math.log(4), -Math.log(4), -Math.log(4)],
    [Number.NaN, Number.NaN, Number.NaN, Number.NaN],
  ];
  for (const dtype of ["f32", "f64"] as const) {
    test(`${dtype}: along dims 1 (contiguous lines of 4) and along dims 2`, () => {
      const x = tensor(cols.flat(), [4, 5], { dtype });
      const near = (got: number[], exp: number[]) =>
        got.forEach((g, i) => {
          if (Number.isFinite(exp[i]!)) expect(g).toBeCloseTo(exp[i]!, 6);
          else expect(g).toBe(exp[i]);
        });
      near(read(softmax(x)), want.flat());
      near(read(logsoftmax(x)), wantLog.flat());
      // The same lines along dims 2 (strided).
      const xt = tensor(
        [0, 1, 2, 3].flatMap((r) => cols.map((c) => c[r]!)),
        [5, 4],
        { dtype },
      );
      const colsOf = (a: number[]) => [0, 1, 2, 3, 4].flatMap((c) => [0, 1, 2, 3].map((r) => a[r * 5 + c]!));
      near(colsOf(read(softmax(xt, { dims: 2 }))), want.flat());
      near(colsOf(read(logsoftmax(xt, { dims: 2 }))), wantLog.flat());
    });
  }

  test("f32 lines long and many enough for the SIMD kernel: only the +Inf lines change", () => {
    const len = 8;
    const lines = 16;
    const data = Array.from({ length: len * lines }, (_, i) => Math.sin(i));
    data[3 * len + 5] = I;
    data[9 * len] = I;
    data[9 * len + 7] = I;
    const got = read(softmax(tensor(data, [len, lines])));
    for (let l = 0; l < lines; l++) {
      const line = data.slice(l * len, (l + 1) * len);
      const inf = line.filter((v) => v === I).length;
      const e = line.map((v) => Math.exp(v));
      const z = e.reduce((a, b) => a + b, 0);
      line.forEach((v, j) => {
        expect(got[l * len + j]).toBeCloseTo(inf > 0 ? (v === I ? 1 / inf : 0) : e[j]! / z, 6);
      });
    }
  });

  test("logsoftmax of a line with one +Inf is exactly +0 there, as NNlib's 0 - log(1)", () => {
    const got = read(logsoftmax(tensor([1, I, 2], [3, 1])));
    expect(got).toEqual([-I, 0, -I]);
    expect(Object.is(got[1], 0)).toBe(true);
  });

  test("the gradient through a +Inf line is finite: the softmax's weights are one-hot there", () => {
    const x = tensor([1, I, 2, 0], [4, 1]);
    const w = tensor([3, 5, 7, 11], [4, 1]);
    // ∇softmax = y .* (w .- sum(w .* y)) = 0 with y = e₂; ∇logsoftmax = w .- sum(w) .* exp.(y) = w - 26 e₂.
    const [g] = gradient((a) => sum(mul(softmax(a), w)), x);
    expect(read(g!).map((v) => v + 0)).toEqual([0, 0, 0, 0]);
    const [gl] = gradient((a) => sum(mul(logsoftmax(a), w)), x);
    expect(read(gl!)).toEqual([3, 5 - 26, 7, 11]);
  });
});
