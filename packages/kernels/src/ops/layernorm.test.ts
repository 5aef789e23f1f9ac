import { describe, expect, it } from "vitest";
import { worstMismatch } from "../../../../tooling/conformance/finiteDiff.js";
import { gradient } from "../autodiff/gradient.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { randn } from "./creation.js";
import { add, mul } from "./elementwise.js";
import { layernorm } from "./layernorm.js";
import { sum } from "./reduce.js";

const data = (t: Tensor) => t.dataSync() as Float32Array;
const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const m = worstMismatch(a, b, 1e-5, 1e-4);
  expect(m.excess, `worst at ${m.index}: ${a[m.index]} vs ${b[m.index]}`).toBe(0);
};

describe("layernorm with scale and bias", () => {
  // [x shape, dims, with bias]
  const cases: [number[], number, boolean][] = [
    [[8, 5, 3], 1, true],
    [[4, 3, 6], 2, true],
    [[7, 9], 1, false],
  ];
  it.each(cases)(
    "the fused CPU pass equals layernorm .* scale .+ bias: x %j, dims %i, bias %s",
    (shape, dims, withBias) => {
      const g = rng(shape.length * 7 + dims);
      const x = randn(shape, { rng: g });
      const scale = randn(shape.slice(0, dims), { rng: g });
      const bias = randn(shape.slice(0, dims), { rng: g });
      const w = randn(shape, { rng: g });
      const fused = (x: Tensor, s: Tensor, b: Tensor) =>
        layernorm(x, { dims, scale: s, bias: withBias ? b : null });
      const composed = (x: Tensor, s: Tensor, b: Tensor) => {
        const y = mul(layernorm(x, { dims }), s);
        return withBias ? add(y, b) : y;
      };
      close(data(fused(x, scale, bias)), data(composed(x, scale, bias)));
      const loss = (f: typeof fused) => (x: Tensor, s: Tensor, b: Tensor) => sum(mul(f(x, s, b), w));
      const gf = gradient(loss(fused), x, scale, bias);
      const gc = gradient(loss(composed), x, scale, bias);
      for (let i = 0; i < (withBias ? 3 : 2); i++) close(data(gf[i]!), data(gc[i]!));
    },
  );

  it("refuses a scale or bias of another shape, and a bias without a scale", () => {
    const x = randn([4, 3]);
    expect(() => layernorm(x, { scale: randn([3]) })).toThrow(ShapeError);
    expect(() => layernorm(x, { scale: randn([4]), bias: randn([4, 1]) })).toThrow(
      /normalised dims' shape \[4\]/,
    );
    expect(() => layernorm(x, { bias: randn([4]) })).toThrow(ArgumentError);
  });
});
