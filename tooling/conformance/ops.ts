// The op conformance suite: one call per backend checks every op's VALUES against hand-checked cases and
// its GRADIENTS against central finite differences in f64 (CPU) or against the CPU backend (other
// backends, with dtype-aware tolerances), over shapes and broadcast patterns drawn by fast-check. It also
// checks that no op leaves a tensor alive.
//
//   describeOpConformance("cpu");      // packages/kernels/src/conformance.cpu.test.ts
//   describeOpConformance("webgpu");   // one more line, same suite
import * as k from "@flux/kernels";
import type { Backend, Device, DType, Tensor } from "@flux/kernels";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { numericGradient, worstMismatch } from "./finiteDiff.js";
import { GRAD_CASES, type GradCase, type InputSpec } from "./gradCases.js";
import { type Make, VALUE_CASES } from "./valueCases.js";

/** Options of the conformance suite. */
export interface OpConformanceOptions {
  /** Device id on that backend (default 0). */
  id?: number;
  /** The float dtype to test in. Default: f64 when the backend stores it (then gradients are checked against finite differences), else f32. */
  dtype?: DType;
  /** Runs per property (default 12). */
  numRuns?: number;
  /** fast-check seed (default 20251126, fixed so that failures reproduce). */
  seed?: number;
  /** Case names to skip (say why in the calling test file). */
  skip?: readonly string[];
  /** Awaited before the suite (e.g. register the backend). */
  setup?: () => void | Promise<void>;
}

interface Tolerance {
  atol: number;
  rtol: number;
}

const TOLERANCES: Partial<Record<DType, Tolerance>> = {
  f64: { atol: 1e-9, rtol: 1e-9 },
  f32: { atol: 1e-5, rtol: 1e-5 },
  f16: { atol: 2e-2, rtol: 1e-2 },
};
// Gradients vs finite differences (f64) or vs the CPU reference (lower precision) need looser bounds.
const GRAD_TOLERANCES: Partial<Record<DType, Tolerance>> = {
  f64: { atol: 1e-6, rtol: 1e-5 },
  f32: { atol: 2e-4, rtol: 2e-3 },
  f16: { atol: 5e-2, rtol: 5e-2 },
};

function sample(spec: InputSpec, r: k.Rng): Float64Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const d = spec.domain ?? ((u: number) => 2 * u);
  return Float64Array.from({ length: n }, () => d(2 * r.uniform() - 1));
}

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), Number);
}

/**
 * Declares the vitest suites that check every op on the backend `backendName`.
 *
 * @example
 * describeOpConformance("cpu");
 */
export function describeOpConformance(backendName: string, opts: OpConformanceOptions = {}): void {
  const skip = new Set(opts.skip ?? []);
  const numRuns = opts.numRuns ?? 12;
  const seed = opts.seed ?? 20251126;
  let backend: Backend;
  let device: Device;
  let dtype: DType;
  let reference = false; // true: this backend in f64 is checked against finite differences

  describe(`op conformance: ${backendName}${opts.dtype ? ` (${opts.dtype})` : ""}`, () => {
    beforeAll(async () => {
      await opts.setup?.();
      backend = await k.getBackend(backendName, opts.id ?? 0);
      device = backend.device;
      dtype = opts.dtype ?? (backend.dtypes.includes("f64") ? "f64" : "f32");
      reference = dtype === "f64";
    });

    describe("values (hand-checked cases)", () => {
      for (const c of VALUE_CASES) {
        const run = skip.has(c.name) ? it.skip : it;
        run(c.name, async () => {
          const before = k.memory(device).liveTensors;
          const make: Make = (data, shape, dt) =>
            k.tensor(data as number[], shape, { dtype: dt ?? dtype, device });
          const out = k.tidy(() => c.run(make));
          try {
            expect(out.device).toBe(device);
            expect([...out.shape]).toEqual([...c.shape]);
            expect(out.dtype).toBe(c.dtype ?? dtype);
            const tol = TOLERANCES[out.dtype] ?? { atol: 0, rtol: 0 };
            const got = await read(out);
            const { excess, index } = worstMismatch(got, c.values, tol.atol, tol.rtol);
            expect(excess, `element ${index}: got ${got[index]}, expected ${c.values[index]}`).toBe(0);
          } finally {
            out.dispose();
          }
          expect(k.memory(device).liveTensors, "tensors left alive").toBe(before);
        });
      }
    });

    describe("gradients (fast-check shapes and broadcast patterns)", () => {
      for (const c of GRAD_CASES) {
        const run = skip.has(c.name) ? it.skip : it;
        run(c.name, async () => {
          await fc.assert(
            fc.asyncProperty(c.params, fc.integer({ min: 1, max: 2 ** 30 }), async (p, valueSeed) => {
              await checkGradient(c, p, valueSeed);
            }),
            { numRuns, seed },
          );
        });
      }
    });

    describe("errors", () => {
      it("names the op when a disposed tensor is used", () => {
        const x = k.ones([2], { dtype, device });
        x.dispose();
        expect(() => k.exp(x)).toThrow(k.DisposedTensorError);
        expect(() => k.exp(x)).toThrow(/exp/);
      });
      it("rejects shapes that do not broadcast", () => {
        const a = k.ones([2, 3], { dtype, device });
        const b = k.ones([3], { dtype, device });
        expect(() => k.add(a, b)).toThrow(k.ShapeError);
        a.dispose();
        b.dispose();
      });
    });
  });

  async function checkGradient(c: GradCase, p: unknown, valueSeed: number): Promise<void> {
    const specs = c.inputs(p);
    const r = k.rng(valueSeed);
    const hosts = specs.map((s) => sample(s, r));
    const before = k.memory(device).liveTensors;
    const xs = hosts.map((h, i) => k.tensor(h, specs[i]!.shape, { dtype, device }));
    const outShape = k.tidy(() => [...c.f(p, ...xs).shape]);
    const wHost = Float64Array.from(
      { length: outShape.reduce((a, b) => a * b, 1) },
      () => 2 * r.uniform() - 1,
    );
    const w = k.tensor(wHost, outShape, { dtype, device });
    const grads = k.gradient(
      (...args: Tensor[]) => k.sum(k.mul(c.f(p, ...args), w)),
      ...xs,
    ) as (Tensor | null)[];
    const got = await Promise.all(
      grads.map(async (g, i) => (g === null ? new Array(hosts[i]!.length).fill(0) : await read(g))),
    );
    for (const g of grads) g?.dispose();
    for (const x of xs) x.dispose();
    w.dispose();
    expect(k.memory(device).liveTensors, `${c.name}: tensors left alive`).toBe(before);

    const expected = reference
      ? finiteDifferences(c, p, specs, hosts, wHost)
      : await cpuGradients(c, p, specs, hosts, wHost);
    const tol = GRAD_TOLERANCES[dtype] ?? { atol: 1e-3, rtol: 1e-2 };
    got.forEach((g, i) => {
      const { excess, index } = worstMismatch(g, expected[i]!, tol.atol, tol.rtol);
      expect(
        excess,
        `${c.name} params ${JSON.stringify(p)}: d/d(input ${i})[${index}] = ${g[index]}, expected ${expected[i]![index]}`,
      ).toBe(0);
    });
  }
}

function cpuLoss(
  c: GradCase,
  p: unknown,
  specs: readonly InputSpec[],
  hosts: readonly Float64Array[],
  w: Float64Array,
): number {
  return k.tidy(() => {
    const xs = hosts.map((h, i) => k.tensor(h, specs[i]!.shape, { dtype: "f64" }));
    const out = c.f(p, ...xs);
    return k.sum(k.mul(out, k.tensor(w, out.shape, { dtype: "f64" }))).dataSync()[0]!;
  });
}

function finiteDifferences(
  c: GradCase,
  p: unknown,
  specs: readonly InputSpec[],
  hosts: readonly Float64Array[],
  w: Float64Array,
): number[][] {
  return numericGradient((xs) => cpuLoss(c, p, specs, xs, w), hosts).map((g) => Array.from(g));
}

async function cpuGradients(
  c: GradCase,
  p: unknown,
  specs: readonly InputSpec[],
  hosts: readonly Float64Array[],
  w: Float64Array,
): Promise<number[][]> {
  const xs = hosts.map((h, i) => k.tensor(h, specs[i]!.shape, { dtype: "f64" }));
  const outShape = k.tidy(() => [...c.f(p, ...xs).shape]);
  const wt = k.tensor(w, outShape, { dtype: "f64" });
  const grads = k.gradient(
    (...args: Tensor[]) => k.sum(k.mul(c.f(p, ...args), wt)),
    ...xs,
  ) as (Tensor | null)[];
  const result = grads.map((g, i) =>
    g === null ? new Array(hosts[i]!.length).fill(0) : Array.from(g.dataSync(), Number),
  );
  for (const g of grads) g?.dispose();
  for (const x of xs) x.dispose();
  wt.dispose();
  return result;
}
