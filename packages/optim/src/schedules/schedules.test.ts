// Each schedule against ParameterSchedulers.jl's documented formulas (decay.jl, cyclic.jl, complex.jl),
// with the values worked out by hand in the comments.
import { tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { Adam, adjustInPlace, isOptimLeaf, setup } from "../index.js";
import {
  Constant,
  CosAnneal,
  Exp,
  Interpolator,
  Inv,
  Loop,
  OneCycle,
  Poly,
  type Schedule,
  ScheduleError,
  Sequence,
  Shifted,
  Shortened,
  Sin,
  SinDecay2,
  SinExp,
  Step,
  Triangle,
  TriangleDecay2,
  TriangleExp,
  Warmup,
  makeSchedule,
} from "./index.js";
import { asSchedule, isSchedule } from "./schedule.js";

const first = (s: Schedule, n: number) => Array.from({ length: n }, (_, i) => s(i + 1));
const close = (got: readonly number[], want: readonly number[]) => {
  expect(got).toHaveLength(want.length);
  for (const [i, g] of got.entries()) expect(g, `t = ${i + 1}`).toBeCloseTo(want[i]!, 12);
};
const SQRT1_2 = Math.SQRT1_2;
const cosStep = (k: number, period: number) => (1 + Math.cos((Math.PI * k) / period)) / 2;

describe("decay schedules", () => {
  it("Exp: start · decay^(t − 1)", () => {
    close(first(Exp(0.1, 0.5), 4), [0.1, 0.05, 0.025, 0.0125]);
    expect(Exp({ start: 2, decay: 0.9 })(3)).toBeCloseTo(2 * 0.81, 14);
    expect(String(Exp(0.1, 0.5))).toBe("Exp(start=0.1, decay=0.5)");
  });

  it("Step with one size: decays after every `n` iterations (t = n is still the first interval)", () => {
    close(first(Step(1, 0.5, 3), 7), [1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
  });

  it("Step with a list: one interval each, the last decay kept afterwards", () => {
    // sum([2]) = 2 < t <= 5 = sum([2, 3]) → i = 1; t > 5 → i = 2 forever
    close(first(Step({ start: 1, decay: 0.1, stepSizes: [2, 3] }), 7), [1, 1, 0.1, 0.1, 0.1, 0.01, 0.01]);
    expect(Step(1, 0.1, [2, 3])(1000)).toBeCloseTo(0.01, 14);
  });

  it("Poly: start · (1 − (t − 1)/maxIter)^degree, finite", () => {
    const s = Poly(1, 2, 4);
    close(first(s, 4), [1, 0.5625, 0.25, 0.0625]); // (3/4)², (2/4)², (1/4)²
    expect(s.steps).toBe(4);
    expect([...s]).toHaveLength(4);
    expect(() => s(5)).toThrow(ScheduleError);
  });

  it("Inv: start / (1 + (t − 1) · decay)^degree", () => {
    close(first(Inv(1, 0.5, 1), 3), [1, 1 / 1.5, 0.5]);
    expect(Inv({ start: 1, decay: 1, degree: 2 })(3)).toBeCloseTo(1 / 9, 14);
  });

  it("Constant and plain numbers", () => {
    expect(Constant(0.01)(1000)).toBe(0.01);
    expect(asSchedule(0.5)(7)).toBe(0.5);
    expect(isSchedule(Constant(1))).toBe(true);
    expect(isSchedule((t: number) => t)).toBe(false);
  });
});

describe("cyclic schedules", () => {
  it("Triangle: (2/π)|asin(sin(π(t − 1)/period))| between the ends, either order", () => {
    // π(t−1)/4 = 0, π/4, π/2, 3π/4, π → 0, 1/2, 1, 1/2, 0
    close(first(Triangle({ l0: 0, l1: 1, period: 4 }), 6), [0, 0.5, 1, 0.5, 0, 0.5]);
    close(first(Triangle({ l0: 3, l1: 1, period: 4 }), 3), [1, 2, 3]);
  });

  it("TriangleDecay2 halves the amplitude each period; TriangleExp decays it per step", () => {
    // period 2: tri = 0, 1, 0, 1, 0, 1; amplitude 1, 1, 1/2, 1/2, 1/4, 1/4
    close(first(TriangleDecay2({ l0: 0, l1: 1, period: 2 }), 6), [0, 1, 0, 0.5, 0, 0.25]);
    // amplitude 0.5^(t−1): t = 2 → 0.5, t = 4 → 0.125
    close(first(TriangleExp({ l0: 0, l1: 1, period: 2, decay: 0.5 }), 4), [0, 0.5, 0, 0.125]);
  });

  it("Sin, SinDecay2, SinExp: |sin(π(t − 1)/period)|", () => {
    close(first(Sin({ l0: 0, l1: 1, period: 4 }), 5), [0, SQRT1_2, 1, SQRT1_2, 0]);
    close(first(SinDecay2({ l0: 0, l1: 1, period: 2 }), 4), [0, 1, 0, 0.5]);
    close(first(SinExp({ l0: 1, l1: 2, period: 2, decay: 0.5 }), 4), [1, 1.5, 1, 1.125]);
  });

  it("CosAnneal: from the top, (1 + cos(π t̂/period))/2, restarting every period", () => {
    const s = CosAnneal({ l0: 1, l1: 0, period: 4 });
    close(first(s, 6), [1, cosStep(1, 4), 0.5, cosStep(3, 4), 1, cosStep(1, 4)]);
    expect(cosStep(1, 4)).toBeCloseTo(0.8535533905932737, 14); // (1 + √2/2)/2
  });

  it("CosAnneal without restarts goes on along the cosine (PyTorch's CosineAnnealingLR)", () => {
    const s = CosAnneal({ l0: 0.1, l1: 0.001, period: 4, restart: false });
    const want = (t: number) => 0.001 + (0.1 - 0.001) * cosStep(t - 1, 4);
    close(first(s, 6), [1, 2, 3, 4, 5, 6].map(want));
    expect(s(5)).toBeCloseTo(0.001, 14);
  });
});

describe("complex schedules", () => {
  it("Sequence: each stage from its own t = 1, the last one continuing", () => {
    const s = Sequence([0.1, 2], [Exp(1, 0.5), 2]);
    close(first(s, 5), [0.1, 0.1, 1, 0.5, 0.25]);
    close(first(Sequence({ schedules: [0.1, Exp(1, 0.5)], stepSizes: [2, 2] }), 5), first(s, 5));
    expect(s.steps).toBe(Number.POSITIVE_INFINITY);
  });

  it("Loop, Interpolator, Shifted, Shortened", () => {
    close(
      first(
        Loop((t) => t, 3),
        7,
      ),
      [1, 2, 3, 1, 2, 3, 1],
    );
    const perBatch = Interpolator(Step(1, 0.5, 1), 10); // one "epoch" = 10 iterations
    expect([perBatch(1), perBatch(10), perBatch(11), perBatch(20), perBatch(21)]).toEqual([
      1, 1, 0.5, 0.5, 0.25,
    ]);
    // Triangle period 10 at t = 6, 7: (2/π)·asin(sin(π·5/10)) = 1, (2/π)·|asin(sin(0.6π))| = 0.8
    close(first(Shifted(Triangle({ l0: 0, l1: 1, period: 10 }), 6), 2), [1, 0.8]);
    const short = Shortened(Exp(1, 0.5), 3);
    expect([...short]).toEqual([1, 0.5, 0.25]);
    expect(() => short(4)).toThrow(/3 iterations; t = 4/);
  });

  it("OneCycle: the docs' OneCycle(10, 0.1; percent_start = 0.4)", () => {
    const s = OneCycle(10, 0.1, { percentStart: 0.4 });
    // warm-up: 4 steps of CosAnneal(l0 = 0.1, l1 = 0.004, period = 4) from its t = 5 (t̂ = 4, 5, 6, 7)
    const up = [4, 5, 6, 7].map((k) => 0.004 + 0.096 * cosStep(k, 4));
    // then 6 steps of CosAnneal(l0 = 0.1, l1 = 1e-6, period = 6) from t̂ = 0
    const down = [0, 1, 2, 3, 4, 5].map((k) => 1e-6 + (0.1 - 1e-6) * cosStep(k, 6));
    close(first(s, 10), [...up, ...down]);
    expect(s(1)).toBeCloseTo(0.004, 14); // maxval / 25
    expect(s(5)).toBeCloseTo(0.1, 14);
    expect(s.steps).toBe(10);
    expect(() => s(11)).toThrow(ScheduleError);
  });

  it("Warmup: half a Triangle (or Sin) period, then the schedule from its t = 1", () => {
    // Triangle(l0 = 0, l1 = 1, period = 4) for 2 steps: 0, 0.5; then Exp(1, 0.5): 1, 0.5, 0.25
    close(first(Warmup(Exp(1, 0.5), { steps: 2 }), 5), [0, 0.5, 1, 0.5, 0.25]);
    close(first(Warmup(Exp(1, 0.5), { steps: 2, shape: "sin", start: 0.2 }), 3), [
      0.2,
      0.2 + 0.8 * SQRT1_2,
      1,
    ]);
    expect(Warmup(Poly(1, 1, 4), { steps: 2 }).steps).toBe(6);
  });
});

describe("schedule API", () => {
  it("drives adjust: adjustInPlace(state, { eta: s(t) })", () => {
    const state = setup(Adam(0.1), { w: tensor([1, 2], [2]) });
    const s = Exp(0.1, 0.5);
    for (let t = 1; t <= 3; t++) adjustInPlace(state, { eta: s(t) });
    const leaf = (state as unknown as { w: unknown }).w;
    expect(isOptimLeaf(leaf) && (leaf.rule as unknown as { eta: number }).eta).toBeCloseTo(0.025, 14);
  });

  it("makeSchedule wraps any function; iteration yields s(1), s(2), ...", () => {
    const halving = makeSchedule((t) => 1 / 2 ** (t - 1), "halving", 3);
    expect([...halving]).toEqual([1, 0.5, 0.25]);
    expect(String(halving)).toBe("halving");
  });

  it("refuses bad arguments with ScheduleError", () => {
    const bad: (() => unknown)[] = [
      () => Step(1, 0.5, 0),
      () => Step(1, 0.5, []),
      () => Exp(Number.NaN, 0.5),
      () => Poly(1, 2, 2.5),
      () => Triangle({ l0: 0, l1: 1 } as never),
      () => CosAnneal({ l0: 0, l1: 1, period: 4, restrat: false } as never),
      () => Sequence(),
      () => Sequence([0.1, 0] as const),
      () => OneCycle(10, 0.1, { percentStart: 1 }),
      () => Warmup(Exp(1, 0.5), { steps: 2, start: 2 }),
      () => Exp(1, 0.5)(Number.NaN),
    ];
    for (const f of bad) expect(f).toThrow(ScheduleError);
  });
});
