import { describe, expect, it } from "vitest";
import { worstMismatch } from "../../../../tooling/conformance/finiteDiff.js";
import { gradient } from "../autodiff/gradient.js";
import { cpuKernelsReady } from "../cpu/wasm/index.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { memory, tidy } from "../memory.js";
import { rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { composed, dotProductAttention } from "./attention.js";
import { randn } from "./creation.js";
import { add, mul } from "./elementwise.js";
import { sum } from "./reduce.js";

const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const m = worstMismatch(a, b, 2e-5, 2e-4);
  expect(m.excess, `worst at ${m.index}: ${a[m.index]} vs ${b[m.index]}`).toBe(0);
};
const data = (t: Tensor) => t.dataSync() as Float32Array;

// A loss weighing every output element and every attention weight differently, so a wrong cotangent of
// either shows in every input's gradient.
const lossOf =
  (run: (q: Tensor, k: Tensor, v: Tensor) => [Tensor, Tensor], wy: Tensor, wa: Tensor | null) =>
  (q: Tensor, k: Tensor, v: Tensor) => {
    const [y, α] = run(q, k, v);
    const ly = sum(mul(y, wy));
    return wa === null ? ly : add(ly, sum(mul(α, wa)));
  };

describe("dotProductAttention", () => {
  // [qkDim, vDim, qLen, kvLen, batch dims, nheads, causal, weigh α]
  const cases: [number, number, number, number, number[], number, boolean, boolean][] = [
    [8, 8, 6, 6, [3], 2, true, false],
    [8, 12, 5, 7, [2], 4, false, true],
    [4, 6, 5, 5, [2, 3], 1, true, true],
    [6, 6, 4, 4, [], 3, false, false],
    [16, 8, 9, 9, [2], 2, true, true],
  ];
  it.each(cases)(
    "the fused CPU attention equals the composed ops: qk %i, v %i, len %i x %i, batch %j, %i heads, causal %s, α weighed %s",
    async (D, Dv, L, S, batch, nheads, causal, weighA) => {
      await cpuKernelsReady();
      const g = rng(D * 31 + L);
      const q = randn([D, L, ...batch], { rng: g });
      const k = randn([D, S, ...batch], { rng: g });
      const v = randn([Dv, S, ...batch], { rng: g });
      const wy = randn([Dv, L, ...batch], { rng: g });
      const wa = weighA ? randn([S, L, nheads, ...batch], { rng: g }) : null;
      const mask = causal ? ("causal" as const) : null;
      const fused = (a: Tensor, b: Tensor, c: Tensor) => dotProductAttention(a, b, c, { nheads, mask });
      const reference = (a: Tensor, b: Tensor, c: Tensor) => composed(a, b, c, nheads, { mask });
      const [y, α] = fused(q, k, v);
      const [y0, α0] = reference(q, k, v);
      expect(y.shape).toEqual([Dv, L, ...batch]);
      expect(α.shape).toEqual([S, L, nheads, ...batch]);
      close(data(y), data(y0));
      close(data(α), data(α0));
      const grads = gradient(lossOf(fused, wy, wa), q, k, v);
      const grads0 = gradient(lossOf(reference, wy, wa), q, k, v);
      for (let i = 0; i < 3; i++) close(data(grads[i]!), data(grads0[i]!));
    },
  );

  it("causal weights are exact zeros after each query's own position", async () => {
    await cpuKernelsReady();
    const [, α] = dotProductAttention(randn([4, 5, 2]), randn([4, 5, 2]), randn([4, 5, 2]), {
      nheads: 2,
      mask: "causal",
    });
    const a = data(α);
    for (let col = 0; col < 5 * 2 * 2; col++)
      for (let i = 0; i < 5; i++) if (i > col % 5) expect(a[col * 5 + i]).toBe(0);
  });

  it("frees everything it made but its outputs, with and without a gradient", async () => {
    await cpuKernelsReady();
    const [q, k, v] = [randn([8, 6, 2]), randn([8, 6, 2]), randn([8, 6, 2])];
    const before = memory().liveTensors;
    tidy(() => {
      dotProductAttention(q, k, v, { nheads: 2, mask: "causal" });
    });
    gradient(
      (a: Tensor) => sum(dotProductAttention(a, k, v, { nheads: 2, mask: "causal" })[0]),
      q,
    )[0]!.dispose();
    expect(memory().liveTensors).toBe(before);
  });

  it("refuses inputs it cannot split, naming what is wrong", () => {
    const q = randn([4, 6]);
    expect(() => dotProductAttention(q, randn([5, 6]), randn([2, 6]))).toThrow(ShapeError);
    expect(() => dotProductAttention(q, q, q, { nheads: 3 })).toThrow(/not divisible by nheads = 3/);
    expect(() => dotProductAttention(q, q, q, { nheads: 0 })).toThrow(ArgumentError);
    expect(() => dotProductAttention(q, randn([4, 5]), randn([2, 5]), { mask: "causal" })).toThrow(
      /needs as many keys as queries/,
    );
  });
});
