import { describe, expect, it } from "vitest";
import { numericGradient, worstMismatch } from "../../../../tooling/conformance/finiteDiff.js";
import { gradient } from "../autodiff/gradient.js";
import { cpuKernelsReady } from "../cpu/wasm/index.js";
import { DTypeError, ShapeError } from "../errors.js";
import { memory, tidy } from "../memory.js";
import { rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { randn, tensor, zeros } from "./creation.js";
import { cast } from "./convert.js";
import { add, mul } from "./elementwise.js";
import { composed, lstmSequence } from "./lstm.js";
import { sum } from "./reduce.js";

// A loss that weighs every output and both last states differently, so a wrong cotangent anywhere shows.
function lossOf(run: typeof lstmSequence, w: { y: Tensor; h: Tensor; c: Tensor }) {
  return (xp: Tensor, Wh: Tensor, h0: Tensor, c0: Tensor) => {
    const r = run(xp, Wh, h0, c0);
    return add(add(sum(mul(r.y, w.y)), sum(mul(r.h, w.h))), sum(mul(r.c, w.c)));
  };
}

function inputs(n: number, T: number, B: number, seed: number, sharedState: boolean) {
  const g = rng(seed);
  const stateShape = sharedState ? [n] : [n, B];
  return {
    xp: randn([4 * n, T, B], { rng: g }),
    Wh: mul(randn([4 * n, n], { rng: g }), 0.5),
    h0: randn(stateShape, { rng: g }),
    c0: randn(stateShape, { rng: g }),
    w: { y: randn([n, T, B], { rng: g }), h: randn([n, B], { rng: g }), c: randn([n, B], { rng: g }) },
  };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number) => {
  const m = worstMismatch(a, b, atol, rtol);
  expect(m.excess, `worst at ${m.index}: ${a[m.index]} vs ${b[m.index]}`).toBe(0);
};

describe("lstmSequence", () => {
  it("the fused CPU recurrence equals the composed one, values and gradients (f32)", async () => {
    await cpuKernelsReady();
    for (const [n, T, B, shared] of [
      [5, 7, 3, false],
      [16, 9, 4, true],
      [3, 1, 1, false],
    ] as const) {
      tidy(() => {
        const { xp, Wh, h0, c0, w } = inputs(n, T, B, n * 100 + T, shared);
        const a = lstmSequence(xp, Wh, h0, c0);
        const b = composed(xp, Wh, h0, c0);
        close(a.y.dataSync(), b.y.dataSync(), 1e-6, 1e-5);
        close(a.h.dataSync(), b.h.dataSync(), 1e-6, 1e-5);
        close(a.c.dataSync(), b.c.dataSync(), 1e-6, 1e-5);
        const ga = gradient(lossOf(lstmSequence, w), xp, Wh, h0, c0) as Tensor[];
        const gb = gradient(lossOf(composed, w), xp, Wh, h0, c0) as Tensor[];
        for (let k = 0; k < 4; k++) {
          expect(ga[k]!.shape).toEqual(gb[k]!.shape);
          close(ga[k]!.dataSync(), gb[k]!.dataSync(), 1e-5, 1e-4);
        }
      });
    }
  });

  it("its gradients match central finite differences in f64", () => {
    const n = 3;
    const T = 4;
    const B = 2;
    tidy(() => {
      const f = inputs(n, T, B, 7, false);
      const as64 = (t: Tensor) => cast(t, "f64");
      const w = { y: as64(f.w.y), h: as64(f.w.h), c: as64(f.w.c) };
      const args = [f.xp, f.Wh, f.h0, f.c0].map(as64) as [Tensor, Tensor, Tensor, Tensor];
      const loss = lossOf(lstmSequence, w);
      const grads = gradient(loss, ...args) as Tensor[];
      const shapes = args.map((t) => t.shape);
      const numeric = numericGradient(
        (xs) =>
          tidy(
            () =>
              loss(...(xs.map((x, k) => tensor(x, shapes[k]!, { dtype: "f64" })) as [Tensor, Tensor, Tensor, Tensor]))
                .dataSync()[0]!,
          ),
        args.map((t) => Float64Array.from(t.dataSync())),
      );
      for (let k = 0; k < 4; k++) close(grads[k]!.dataSync(), numeric[k]!, 1e-7, 1e-6);
    });
  });

  it("only the last cell state in the loss still reaches every input", () => {
    tidy(() => {
      const { xp, Wh, h0, c0 } = inputs(4, 5, 2, 11, false);
      const ga = gradient((...a: Tensor[]) => sum(lstmSequence(a[0]!, a[1]!, a[2]!, a[3]!).c), xp, Wh, h0, c0);
      const gb = gradient((...a: Tensor[]) => sum(composed(a[0]!, a[1]!, a[2]!, a[3]!).c), xp, Wh, h0, c0);
      for (let k = 0; k < 4; k++) close((ga[k] as Tensor).dataSync(), (gb[k] as Tensor).dataSync(), 1e-5, 1e-4);
    });
  });

  it("leaves no tensors behind, with or without a gradient", () => {
    const { xp, Wh, h0, c0 } = inputs(4, 6, 3, 5, true);
    const before = memory().liveTensors;
    const r = lstmSequence(xp, Wh, h0, c0);
    for (const t of [r.y, r.h, r.c]) t.dispose();
    const g = gradient((x: Tensor, W: Tensor) => sum(lstmSequence(x, W, h0, c0).y), xp, Wh);
    for (const t of g) (t as Tensor).dispose();
    expect(memory().liveTensors).toBe(before);
  });

  it("names wrong shapes and dtypes", () => {
    tidy(() => {
      const xp = zeros([8, 3, 2]);
      const Wh = zeros([8, 2]);
      expect(() => lstmSequence(xp, zeros([8, 3]), zeros([2]), zeros([2]))).toThrow(ShapeError);
      expect(() => lstmSequence(zeros([6, 3, 2]), Wh, zeros([2]), zeros([2]))).toThrow(/xp must be \[8, steps, batch\]/);
      expect(() => lstmSequence(xp, Wh, zeros([2, 3]), zeros([2]))).toThrow(/h0 must be \[2\] or \[2, 2\]/);
      expect(() => lstmSequence(xp, Wh, zeros([2]), zeros([2], { dtype: "f64" }))).toThrow(DTypeError);
    });
  });
});
