// The CPU's fused optimiser step: the wasm SIMD path and the JS loops agree bit for bit on every op (and on
// chains of them), lengths that are not whole blocks or whole vectors included; the public op checks its
// operands and refuses to run inside `gradient`.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as k from "../index.js";
import {
  OPTIMISER_STEP_KINDS,
  OPTIMISER_STEP_OPS,
  type OptimiserStepKind,
  type PackedOptimiserOp,
} from "../optimiserOps.js";
import { optimiserSimdAvailable, optimiserStepInto, optimiserStepJs } from "./optimiserStep.js";

function seeded(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return scale * ((2 * s) / 2 ** 32 - 1);
  });
}

/** Plausible scalars for an op (already f32), derived from a few random numbers in [0, 1). */
function scalarsFor(kind: OptimiserStepKind, r: readonly number[]): number[] {
  const f = Math.fround;
  const b1 = f(0.5 + 0.49 * r[0]!);
  const b2 = f(0.9 + 0.0999 * r[1]!);
  const eta = f(1e-3 + 0.1 * r[2]!);
  const named: Record<string, number> = {
    eta,
    rho: b1,
    oneMinusRho: f(1 - b1),
    epsilon: f(1e-8 + 1e-3 * r[3]!),
    negRho2: -f(b1 * b1),
    gain: f((1 + b1) * eta),
    beta1: b1,
    beta2: b2,
    oneMinusBeta1: f(1 - b1),
    oneMinusBeta2: f(1 - b2),
    correction1: f(1 - b1 ** 3),
    correction2: f(1 - b2 ** 3),
    nextCorrection1: f(1 - b1 ** 4),
    lambda: f(0.01 * r[4]!),
    couple: r[5]! < 0.5 ? 0 : 1,
    rectified: r[5]! < 0.5 ? 0 : 1,
    r: f(0.5 + r[4]!),
    beta2MinusBeta1: f(b2 - b1),
    delta: f(0.05 + r[0]!),
  };
  return OPTIMISER_STEP_OPS[kind].scalars.map((name) => named[name]!);
}

/** Runs `ops` on copies of the operands with `run`, returning x and the state after. */
function runOn(
  run: typeof optimiserStepInto,
  ops: readonly PackedOptimiserOp[],
  x: Float32Array,
  g: Float32Array,
  state: readonly Float32Array[],
): Float32Array[] {
  const xs = x.slice();
  const ss = state.map((s) => s.slice());
  run(ops, xs, g, ss);
  return [xs, ...ss];
}

function pack(kinds: readonly OptimiserStepKind[], r: readonly number[]): PackedOptimiserOp[] {
  let next = 0;
  return kinds.map((kind) => {
    const op = { kind, scalars: scalarsFor(kind, r), state: next };
    next += OPTIMISER_STEP_OPS[kind].state.length;
    return op;
  });
}

function stateFor(ops: readonly PackedOptimiserOp[], n: number, seed: number): Float32Array[] {
  return ops.flatMap((op) =>
    OPTIMISER_STEP_OPS[op.kind].state.map((_, j) =>
      // Second moments and accumulators must be >= 0 (sqrt); the ClipNorm factor is one element.
      op.kind === "scale" ? Float32Array.of(0.75) : seeded(n, seed + 17 * (op.state + j), 0.1).map(Math.abs),
    ),
  );
}

describe("CPU optimiserStep: wasm SIMD and JS loops agree bit for bit", () => {
  it("loads the wasm SIMD kernel on this runtime", () => {
    expect(optimiserSimdAvailable()).toBe(true);
  });

  it.each(OPTIMISER_STEP_KINDS)("%s", (kind) => {
    for (const n of [1, 3, 4, 7, 4096, 4099, 9000]) {
      const ops = pack([kind], [0.3, 0.6, 0.2, 0.1, 0.8, n % 2 ? 0.2 : 0.7]);
      const x = seeded(n, 1);
      const g = seeded(n, 2, 3);
      const state = stateFor(ops, n, 3);
      const simd = runOn(optimiserStepInto, ops, x, g, state);
      const js = runOn(optimiserStepJs, ops, x, g, state);
      for (const [i, a] of simd.entries()) {
        expect(Array.from(a), `${kind} n=${n} array ${i}`).toEqual(Array.from(js[i]!));
      }
      expect(Array.from(simd[0]!)).not.toEqual(Array.from(x)); // it did update x
    }
  });

  it("on random chains of ops, lengths and scalars", () => {
    const kinds = fc.constantFrom(...OPTIMISER_STEP_KINDS);
    fc.assert(
      fc.property(
        fc.array(kinds, { minLength: 0, maxLength: 4 }),
        fc.integer({ min: 1, max: 10000 }),
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 0, max: 1000 }),
        (chain, n, r, seed) => {
          const ops = pack(chain, r);
          const x = seeded(n, seed);
          const g = seeded(n, seed + 1, 2);
          const state = stateFor(ops, n, seed + 2);
          const simd = runOn(optimiserStepInto, ops, x, g, state);
          const js = runOn(optimiserStepJs, ops, x, g, state);
          for (const [i, a] of simd.entries()) expect(Array.from(a)).toEqual(Array.from(js[i]!));
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });

  it("f64 runs the JS loops in double precision", () => {
    const x = Float64Array.of(1, 2, 3);
    const m = new Float64Array(3);
    optimiserStepInto([{ kind: "momentum", scalars: [0.9, 0.1], state: 0 }], x, Float64Array.of(1, 1, 1), [
      m,
    ]);
    expect(Array.from(m)).toEqual([0.1, 0.1, 0.1]);
    expect(Array.from(x)).toEqual([0.9, 1.9, 2.9]);
  });
});

describe("optimiserStep (the op)", () => {
  it("updates the parameter and the state in place and returns the parameter", () => {
    const x = k.tensor([1, 2, 3], [3]);
    const g = k.tensor([1, 1, 1], [3]);
    const v = k.zeros([3]);
    expect(k.optimiserStepSupported(x)).toBe(true);
    expect(k.optimiserStep(x, g, [{ kind: "momentum", rho: 0.5, eta: 0.5 }], [v])).toBe(x);
    expect(Array.from(x.dataSync())).toEqual([0.5, 1.5, 2.5]);
    expect(Array.from(v.dataSync())).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(g.dataSync())).toEqual([1, 1, 1]);
  });

  it("with no ops subtracts the gradient", () => {
    const x = k.tensor([1, 2], [2], { dtype: "f64" });
    k.optimiserStep(x, k.tensor([0.5, 0.25], [2], { dtype: "f64" }), []);
    expect(Array.from(x.dataSync())).toEqual([0.5, 1.75]);
  });

  it("refuses bad operands with named errors", () => {
    const x = k.zeros([4]);
    const g = k.zeros([4]);
    const v = k.zeros([4]);
    expect(() => k.optimiserStep(x, k.zeros([5]), [])).toThrow(k.ShapeError);
    expect(() => k.optimiserStep(x, k.zeros([4], { dtype: "f64" }), [])).toThrow(k.DTypeError);
    expect(() => k.optimiserStep(x, g, [{ kind: "nope" } as never])).toThrow(
      /kind "nope"; use one of descent/,
    );
    expect(() => k.optimiserStep(x, g, [{ kind: "descent" } as never])).toThrow(/needs the number eta/);
    expect(() => k.optimiserStep(x, g, [{ kind: "momentum", rho: 0.9, eta: 0.1 }])).toThrow(
      /take 1 state tensor\(s\) \(momentum.v\), got 0/,
    );
    expect(() => k.optimiserStep(x, g, [{ kind: "momentum", rho: 0.9, eta: 0.1 }], [k.zeros([3])])).toThrow(
      /momentum's v is \[3\] f32/,
    );
    expect(() => k.optimiserStep(x, g, [{ kind: "momentum", rho: 0.9, eta: 0.1 }], [x])).toThrow(
      /distinct tensors/,
    );
    expect(() => k.optimiserStep(x, g, [{ kind: "scale" }], [v])).toThrow(/one f32 element/);
    const i = k.zeros([4], { dtype: "i32" });
    expect(k.optimiserStepSupported(i)).toBe(false);
    expect(() => k.optimiserStep(i, k.zeros([4], { dtype: "i32" }), [])).toThrow(k.DTypeError);
  });

  it("is not differentiable: inside gradient it refuses the tensors being differentiated", () => {
    const w = k.tensor([1, 2], [2]);
    expect(() =>
      k.gradient((p) => {
        k.optimiserStep(p, k.ones([2]), []);
        return k.sum(p);
      }, w),
    ).toThrow(k.GradientError);
  });
});
