import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArgumentError, ShapeError } from "../errors.js";
import { memory, tidy } from "../memory.js";
import { rng } from "../rng.js";
import { randn, tensor } from "./creation.js";
import { add, mul } from "./elementwise.js";
import { biasAct, dense, muladd } from "./fused.js";
import { matmul } from "./matmul.js";
import { cpuKernelsReady } from "../cpu/wasm/index.js";
import { cast } from "./convert.js";
import { gelu, relu, sigmoid, tanh } from "./unary.js";
import { gradient } from "../autodiff/gradient.js";
import type { Tensor } from "../tensor.js";
import { sum } from "./reduce.js";

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
};

describe("fused ops agree with their op chains", () => {
  // The chain rounds a*x to f32 before adding b; the fused loop rounds once, so they agree to an ulp or so.
  it("muladd with relu equals relu(add(mul(x, a), b)) over every broadcast path", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 90 }),
        fc.constantFrom("scalar", "column", "row", "full"),
        (m, n, pattern) => {
          tidy(() => {
            const g = rng(m * 1000 + n);
            const x = randn([m, n], { rng: g });
            const shapeOf = { scalar: [1], column: [m], row: [1, n], full: [m, n] }[pattern];
            const a = randn(shapeOf, { rng: g });
            const b = randn(shapeOf, { rng: g });
            close(muladd(a, x, b, { activation: "relu" }).dataSync(), relu(add(mul(a, x), b)).dataSync());
            close(
              muladd(1.5, x, -0.25, { activation: relu }).dataSync(),
              relu(add(mul(x, 1.5), -0.25)).dataSync(),
            );
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it("biasAct(relu)'s gradients (one fused pass on the CPU) equal those of relu(add(x, b))", () => {
    // A conv layer's channel bias over [W, H, C, N], a dense layer's [out] bias over [out, batch], and x
    // alone tracked (b a constant).
    for (const [xShape, bShape] of [
      [
        [12, 10, 4, 3],
        [1, 1, 4, 1],
      ],
      [[9, 5], [9]],
    ] as const) {
      tidy(() => {
        const g = rng(xShape.length);
        const x = randn([...xShape], { rng: g });
        const b = randn([...bShape], { rng: g });
        const w = randn([...xShape], { rng: g });
        const loss = (f: (x: Tensor, b: Tensor) => Tensor) => (x: Tensor, b: Tensor) => sum(mul(w, f(x, b)));
        const [fx, fb] = gradient(
          loss((x, b) => biasAct(relu, x, b)),
          x,
          b,
        );
        const [ux, ub] = gradient(
          loss((x, b) => relu(add(x, b))),
          x,
          b,
        );
        close(fx!.dataSync(), ux!.dataSync());
        close(fb!.dataSync(), ub!.dataSync(), 1e-5);
        expect(fb!.shape).toEqual([...bShape]);
        const [onlyX] = gradient((x: Tensor) => sum(mul(w, biasAct(relu, x, b))), x);
        close(onlyX!.dataSync(), ux!.dataSync());
      });
    }
  });

  it("blocked activations (longer than one block) match the unfused ones", () => {
    tidy(() => {
      const x = randn([300, 40], { rng: rng(3) });
      const b = randn([300], { rng: rng(4) });
      close(biasAct(gelu, x, b).dataSync(), gelu(add(x, b)).dataSync());
      close(biasAct("tanh", x, b).dataSync(), tanh(add(x, b)).dataSync());
    });
  });

  it("dense equals the matmul + bias + activation chain and leaves no temporaries", () => {
    const before = memory().liveTensors;
    tidy(() => {
      const W = randn([33, 20], { rng: rng(5) });
      const x = randn([20, 17], { rng: rng(6) });
      const b = randn([33, 1], { rng: rng(7) });
      close(dense(x, W, b, relu).dataSync(), relu(add(matmul(W, x), b)).dataSync(), 1e-5);
      close(dense(x, W).dataSync(), matmul(W, x).dataSync(), 1e-6);
      close(dense(x, W, null, tanh).dataSync(), tanh(matmul(W, x)).dataSync(), 1e-5);
    });
    expect(memory().liveTensors).toBe(before);
  });

  it("dense on products large enough for worker threads (the epilogue rides on the threaded copy out)", async () => {
    await cpuKernelsReady();
    tidy(() => {
      const W = randn([200, 180], { rng: rng(8) });
      const x = randn([180, 160], { rng: rng(9) });
      const b = randn([200], { rng: rng(10) });
      close(dense(x, W, b, relu).dataSync(), relu(add(matmul(W, x), b)).dataSync(), 1e-5);
      close(dense(x, W, b, "sigmoid").dataSync(), sigmoid(add(matmul(W, x), b)).dataSync(), 1e-5);
      const w64 = cast(W, "f64");
      const x64 = cast(x, "f64");
      close(
        dense(x64, w64, cast(b, "f64"), relu).dataSync(),
        relu(add(matmul(w64, x64), cast(b, "f64"))).dataSync(),
        1e-12,
      );
    });
  });

  it("says what is wrong with bad arguments", () => {
    const x = tensor([1, 2], [2]);
    expect(() => muladd(1, 2, 3)).toThrow(ArgumentError);
    expect(() => muladd(1, x, 0, { activation: "nope" as never })).toThrow(/unknown activation "nope"/);
    expect(() => dense(x, tensor([1, 2, 3], [1, 3]))).toThrow(ShapeError);
    expect(() => dense(x, tensor([1, 2], [1, 2]), tensor([1, 2], [2]))).toThrow(/bias must be \[1\]/);
    x.dispose();
  });
});
