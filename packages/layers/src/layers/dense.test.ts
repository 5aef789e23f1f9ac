import {
  add,
  gradient,
  matmul,
  mul,
  randn,
  relu,
  reshape,
  rng,
  sigmoid,
  sum,
  type Tensor,
  tanh,
  tensor,
} from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { identityFn } from "../identity.js";
import { Dense } from "./dense.js";

// The unfused reference: what Dense computed before it called kernels' fused dense.
function reference(W: Tensor, b: Tensor | null, σ: (x: Tensor) => Tensor, x: Tensor): Tensor {
  let y = matmul(W, x);
  if (b !== null) y = add(y, b);
  return σ === identityFn ? y : σ(y);
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol);
}

describe("Dense.forward (always kernels' fused dense)", () => {
  const g = rng(7);
  const W = randn([5, 4], { rng: g });
  const b = randn([5], { rng: g });
  const x = randn([4, 3], { rng: g });
  const custom = (z: Tensor) => mul(z, z); // not a kernels activation: applied after the bias

  for (const [name, σ] of [
    ["identity", identityFn],
    ["relu", relu],
    ["sigmoid", sigmoid],
    ["tanh", tanh],
    ["a closure", custom],
  ] as const) {
    for (const withBias of [true, false]) {
      test(`${name}, ${withBias ? "with" : "without"} bias: the unfused values`, () => {
        const d = Dense(W, σ, { bias: withBias ? b : false });
        close(d.forward(x).dataSync(), reference(W, withBias ? b : null, σ, x).dataSync());
      });
    }
  }

  test("a vector and a 3-D input keep their shapes", () => {
    const d = Dense(W, relu, { bias: b });
    const v = tensor([1, -2, 0.5, 3], [4]);
    expect(d.forward(v).shape).toEqual([5]);
    close(d.forward(v).dataSync(), reference(W, b, relu, reshape(v, [4, 1])).dataSync());
    const x3 = randn([4, 2, 3], { rng: g });
    const y3 = d.forward(x3);
    expect(y3.shape).toEqual([5, 2, 3]);
    close(y3.dataSync(), reference(W, b, relu, reshape(x3, [4, 6])).dataSync());
  });

  test("gradients equal those of the unfused expression", () => {
    for (const σ of [relu, sigmoid, identityFn, custom]) {
      const d = Dense(W, σ, { bias: b });
      const [gd] = gradient((m: typeof d) => sum(m.forward(x)), d) as [{ weight: Tensor; bias: Tensor }];
      const [gW, gb] = gradient((w: Tensor, bb: Tensor) => sum(reference(w, bb, σ, x)), W, b) as [
        Tensor,
        Tensor,
      ];
      close(gd.weight.dataSync(), gW.dataSync());
      close(gd.bias.dataSync(), gb.dataSync());
    }
  });

  test("a custom activation is called once, with the biased product", () => {
    // The product is an intermediate that dense frees once the activation returned: read it inside.
    const seen: Float32Array[] = [];
    const spy = (z: Tensor) => {
      seen.push(Float32Array.from(z.dataSync()));
      return custom(z);
    };
    const y = Dense(W, spy, { bias: b }).forward(x);
    expect(seen.length).toBe(1);
    close(seen[0]!, reference(W, b, identityFn, x).dataSync());
    close(y.dataSync(), reference(W, b, custom, x).dataSync());
  });
});
