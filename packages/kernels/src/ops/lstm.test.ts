import { describe, expect, it } from "vitest";
import { numericGradient, worstMismatch } from "../../../../tooling/conformance/finiteDiff.js";
import { gradient } from "../autodiff/gradient.js";
import { cpuKernelsReady } from "../cpu/wasm/index.js";
import { DTypeError, ShapeError } from "../errors.js";
import { memory, tidy } from "../memory.js";
import { rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { cast } from "./convert.js";
import { randn, tensor, zeros } from "./creation.js";
import { add, mul } from "./elementwise.js";
import { dense } from "./fused.js";
import { composed, lstmSequence } from "./lstm.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";

type Args = [Tensor, Tensor, Tensor, Tensor | null, Tensor, Tensor];
type Run = (...a: Args) => { y: Tensor; h: Tensor; c: Tensor };

// The unfused reference: the input projection as a dense layer, then the recurrence from ops.
const unfused: Run = (x, Wi, Wh, b, h0, c0) => {
  const [inn, T, B] = x.shape as [number, number, number];
  const xp = dense(reshape(x, [inn, T * B]), Wi, b);
  return composed(reshape(xp, [Wi.shape[0]!, T, B]), Wh, h0, c0);
};

// A loss that weighs every output and both last states differently, so a wrong cotangent anywhere shows.
function lossOf(run: Run, w: { y: Tensor; h: Tensor; c: Tensor }, withBias: boolean) {
  return (x: Tensor, Wi: Tensor, Wh: Tensor, h0: Tensor, c0: Tensor, b: Tensor) => {
    const r = run(x, Wi, Wh, withBias ? b : null, h0, c0);
    return add(add(sum(mul(r.y, w.y)), sum(mul(r.h, w.h))), sum(mul(r.c, w.c)));
  };
}

function inputs(inn: number, n: number, T: number, B: number, seed: number, sharedState: boolean) {
  const g = rng(seed);
  const stateShape = sharedState ? [n] : [n, B];
  return {
    args: [
      randn([inn, T, B], { rng: g }),
      mul(randn([4 * n, inn], { rng: g }), 0.5),
      mul(randn([4 * n, n], { rng: g }), 0.5),
      randn(stateShape, { rng: g }),
      randn(stateShape, { rng: g }),
      randn([4 * n], { rng: g }),
    ] as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor],
    w: { y: randn([n, T, B], { rng: g }), h: randn([n, B], { rng: g }), c: randn([n, B], { rng: g }) },
  };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number) => {
  const m = worstMismatch(a, b, atol, rtol);
  expect(m.excess, `worst at ${m.index}: ${a[m.index]} vs ${b[m.index]}`).toBe(0);
};

describe("lstmSequence", () => {
  it("the fused CPU layer equals the unfused ops, values and gradients (f32)", async () => {
    await cpuKernelsReady();
    for (const [inn, n, T, B, shared, withBias] of [
      [4, 5, 7, 3, false, true],
      [6, 16, 9, 4, true, false],
      [2, 3, 1, 1, false, true],
    ] as const) {
      tidy(() => {
        const { args, w } = inputs(inn, n, T, B, n * 100 + T, shared);
        const [x, Wi, Wh, h0, c0, b] = args;
        const bias = withBias ? b : null;
        const a = lstmSequence(x, Wi, Wh, bias, h0, c0);
        const r = unfused(x, Wi, Wh, bias, h0, c0);
        // The fused gate pass computes in f32 with polynomial exp and tanh (a few ulps).
        close(a.y.dataSync(), r.y.dataSync(), 2e-6, 1e-5);
        close(a.h.dataSync(), r.h.dataSync(), 2e-6, 1e-5);
        close(a.c.dataSync(), r.c.dataSync(), 2e-6, 1e-5);
        const ga = gradient(lossOf(lstmSequence, w, withBias), ...args) as (Tensor | null)[];
        const gb = gradient(lossOf(unfused, w, withBias), ...args) as (Tensor | null)[];
        for (let k = 0; k < 6; k++) {
          if (k === 5 && !withBias) {
            expect(ga[k]).toBeNull();
            continue;
          }
          expect(ga[k]!.shape).toEqual(gb[k]!.shape);
          close(ga[k]!.dataSync(), gb[k]!.dataSync(), 2e-5, 1e-4);
        }
      });
    }
  });

  it("its gradients match central finite differences in f64", () => {
    tidy(() => {
      const f = inputs(3, 3, 4, 2, 7, false);
      const as64 = (t: Tensor) => cast(t, "f64");
      const w = { y: as64(f.w.y), h: as64(f.w.h), c: as64(f.w.c) };
      const args = f.args.map(as64) as typeof f.args;
      const loss = lossOf(lstmSequence, w, true);
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
      for (let k = 0; k < 6; k++) close(grads[k]!.dataSync(), numeric[k]!, 1e-7, 1e-6);
    });
  });

  it("only the last cell state in the loss still reaches every input", () => {
    tidy(() => {
      const { args } = inputs(3, 4, 5, 2, 11, false);
      const via = (run: Run) => (x: Tensor, Wi: Tensor, Wh: Tensor, h0: Tensor, c0: Tensor, b: Tensor) =>
        sum(run(x, Wi, Wh, b, h0, c0).c);
      const ga = gradient(via(lstmSequence), ...args);
      const gb = gradient(via(unfused), ...args);
      for (let k = 0; k < 6; k++)
        close((ga[k] as Tensor).dataSync(), (gb[k] as Tensor).dataSync(), 2e-5, 1e-4);
    });
  });

  it("leaves no tensors behind, with or without a gradient", () => {
    const { args } = inputs(3, 4, 6, 3, 5, true);
    const [x, Wi, Wh, h0, c0, b] = args;
    const before = memory().liveTensors;
    const r = lstmSequence(x, Wi, Wh, b, h0, c0);
    for (const t of [r.y, r.h, r.c]) t.dispose();
    const g = gradient((W: Tensor, bb: Tensor) => sum(lstmSequence(x, Wi, W, bb, h0, c0).y), Wh, b);
    for (const t of g) (t as Tensor).dispose();
    expect(memory().liveTensors).toBe(before);
  });

  it("names wrong shapes and dtypes", () => {
    tidy(() => {
      const x = zeros([3, 4, 2]);
      const Wi = zeros([8, 3]);
      const Wh = zeros([8, 2]);
      const s = zeros([2]);
      expect(() => lstmSequence(x, Wi, zeros([8, 3]), null, s, s)).toThrow(ShapeError);
      expect(() => lstmSequence(x, zeros([8, 4]), Wh, null, s, s)).toThrow(/Wi must be \[8, 3\]/);
      expect(() => lstmSequence(zeros([3, 4]), Wi, Wh, null, s, s)).toThrow(/x must be \[in, steps, batch\]/);
      expect(() => lstmSequence(x, Wi, Wh, zeros([4]), s, s)).toThrow(/b must be \[8\]/);
      expect(() => lstmSequence(x, Wi, Wh, null, zeros([2, 3]), s)).toThrow(/h0 must be \[2\] or \[2, 2\]/);
      expect(() => lstmSequence(x, Wi, Wh, null, s, zeros([2], { dtype: "f64" }))).toThrow(DTypeError);
    });
  });
});
