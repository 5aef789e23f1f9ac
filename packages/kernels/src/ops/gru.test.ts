import { describe, expect, it } from "vitest";
import { numericGradient, worstMismatch } from "../../../../tooling/conformance/finiteDiff.js";
import { gradient } from "../autodiff/gradient.js";
import { ShapeError } from "../errors.js";
import { memory, tidy } from "../memory.js";
import { rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { cast } from "./convert.js";
import { randn, tensor, zeros } from "./creation.js";
import { add, mul } from "./elementwise.js";
import { composedGru, gruSequence } from "./gru.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";

type Run = (x: Tensor, Wi: Tensor, Wh: Tensor, b: Tensor | null, h0: Tensor) => { y: Tensor; h: Tensor };

// The unfused reference: the input projection as a matmul, then the recurrence from ops.
const unfused: Run = (x, Wi, Wh, b, h0) => {
  const [inn, T, B] = x.shape as [number, number, number];
  const xp = matmul(Wi, reshape(x, [inn, T * B]));
  return composedGru(reshape(xp, [Wi.shape[0]!, T, B]), Wh, b, h0);
};

function lossOf(run: Run, w: { y: Tensor; h: Tensor }, withBias: boolean) {
  return (x: Tensor, Wi: Tensor, Wh: Tensor, h0: Tensor, b: Tensor) => {
    const r = run(x, Wi, Wh, withBias ? b : null, h0);
    return add(sum(mul(r.y, w.y)), sum(mul(r.h, w.h)));
  };
}

function inputs(inn: number, n: number, T: number, B: number, seed: number, sharedState: boolean) {
  const g = rng(seed);
  return {
    args: [
      randn([inn, T, B], { rng: g }),
      mul(randn([3 * n, inn], { rng: g }), 0.5),
      mul(randn([3 * n, n], { rng: g }), 0.5),
      randn(sharedState ? [n] : [n, B], { rng: g }),
      randn([3 * n], { rng: g }),
    ] as [Tensor, Tensor, Tensor, Tensor, Tensor],
    w: { y: randn([n, T, B], { rng: g }), h: randn([n, B], { rng: g }) },
  };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number) => {
  const m = worstMismatch(a, b, atol, rtol);
  expect(m.excess, `worst at ${m.index}: ${a[m.index]} vs ${b[m.index]}`).toBe(0);
};

describe("gruSequence", () => {
  it("the fused CPU layer equals the unfused ops, values and gradients (f32)", () => {
    for (const [inn, n, T, B, shared, withBias] of [
      [4, 5, 7, 3, false, true],
      [6, 16, 9, 4, true, false],
      [2, 3, 1, 1, true, true],
    ] as const) {
      tidy(() => {
        const { args, w } = inputs(inn, n, T, B, n * 100 + T, shared);
        const [x, Wi, Wh, h0, b] = args;
        const bias = withBias ? b : null;
        const a = gruSequence(x, Wi, Wh, bias, h0);
        const r = unfused(x, Wi, Wh, bias, h0);
        close(a.y.dataSync(), r.y.dataSync(), 1e-6, 1e-5);
        close(a.h.dataSync(), r.h.dataSync(), 1e-6, 1e-5);
        const ga = gradient(lossOf(gruSequence, w, withBias), ...args) as (Tensor | null)[];
        const gb = gradient(lossOf(unfused, w, withBias), ...args) as (Tensor | null)[];
        for (let k = 0; k < 5; k++) {
          if (k === 4 && !withBias) {
            expect(ga[k]).toBeNull();
            continue;
          }
          expect(ga[k]!.shape).toEqual(gb[k]!.shape);
          close(ga[k]!.dataSync(), gb[k]!.dataSync(), 1e-5, 1e-4);
        }
      });
    }
  });

  it("its gradients match central finite differences in f64", () => {
    tidy(() => {
      const f = inputs(3, 3, 4, 2, 7, false);
      const as64 = (t: Tensor) => cast(t, "f64");
      const w = { y: as64(f.w.y), h: as64(f.w.h) };
      const args = f.args.map(as64) as typeof f.args;
      const loss = lossOf(gruSequence, w, true);
      const grads = gradient(loss, ...args) as Tensor[];
      const shapes = args.map((t) => t.shape);
      const numeric = numericGradient(
        (xs) =>
          tidy(
            () =>
              loss(
                ...(xs.map((v, k) => tensor(v, shapes[k]!, { dtype: "f64" })) as typeof args),
              ).dataSync()[0]!,
          ),
        args.map((t) => Float64Array.from(t.dataSync())),
      );
      for (let k = 0; k < 5; k++) close(grads[k]!.dataSync(), numeric[k]!, 1e-7, 1e-6);
    });
  });

  it("leaves no tensors behind, with or without a gradient", () => {
    const { args } = inputs(3, 4, 6, 3, 5, true);
    const [x, Wi, Wh, h0, b] = args;
    const before = memory().liveTensors;
    const r = gruSequence(x, Wi, Wh, b, h0);
    for (const t of [r.y, r.h]) t.dispose();
    const g = gradient((W: Tensor, bb: Tensor) => sum(gruSequence(x, Wi, W, bb, h0).y), Wh, b);
    for (const t of g) (t as Tensor).dispose();
    expect(memory().liveTensors).toBe(before);
  });

  it("names wrong shapes", () => {
    tidy(() => {
      const x = zeros([3, 4, 2]);
      expect(() => gruSequence(x, zeros([6, 3]), zeros([8, 2]), null, zeros([2]))).toThrow(ShapeError);
      expect(() => gruSequence(x, zeros([6, 4]), zeros([6, 2]), null, zeros([2]))).toThrow(
        /Wi must be \[6, 3\]/,
      );
      expect(() => gruSequence(x, zeros([6, 3]), zeros([6, 2]), null, zeros([3]))).toThrow(
        /h0 must be \[2\] or \[2, 2\]/,
      );
    });
  });
});
