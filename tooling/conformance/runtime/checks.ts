// The op conformance suite without a test framework: a list of named async checks that throw on failure.
// vitest wraps it in describe/it (../ops.ts); the runtime runner (./runner.ts) runs the same list on Bun,
// Deno and in a browser page. Keep it free of vitest and of runtime-specific APIs (no node:, no Deno).
import * as k from "@flux/kernels";
import type { Backend, DeviceDescriptor, DType, Tensor } from "@flux/kernels";
import fc from "fast-check";
import { numericGradient, worstMismatch } from "../finiteDiff.js";
import { GRAD_CASES, type GradCase, type InputSpec } from "../gradCases.js";
import { type Make, VALUE_CASES } from "../valueCases.js";
import { type Check, ConformanceMismatch, type Suite, type SuiteOptions, type Tolerance } from "./suite.js";

export { ConformanceMismatch } from "./suite.js";

/** Options of the op conformance suite. */
export interface OpConformanceOptions extends SuiteOptions {
  /** Runs per property (default 12). */
  numRuns?: number;
  /** fast-check seed (default 20251126, fixed so that failures reproduce). */
  seed?: number;
  /** Case names to skip (say why in the calling test file). Only the vitest wrapper honours it. */
  skip?: readonly string[];
}

/** The three groups of checks, in the order they run. */
export type ConformanceGroup = "values" | "gradients" | "errors";

/** One named check; `run` resolves when it passes and throws a {@link ConformanceMismatch} when not. */
export type ConformanceCheck = Check<ConformanceGroup>;

/** A backend's whole suite: `setup` once (loads the backend), then every check in order. */
export type ConformanceSuite = Suite<ConformanceGroup>;

/** Value tolerances per dtype. */
export const TOLERANCES: Partial<Record<DType, Tolerance>> = {
  f64: { atol: 1e-9, rtol: 1e-9 },
  f32: { atol: 1e-5, rtol: 1e-5 },
  f16: { atol: 2e-2, rtol: 1e-2 },
};
/** Gradients vs finite differences (f64) or vs the CPU reference (lower precision) need looser bounds. */
export const GRAD_TOLERANCES: Partial<Record<DType, Tolerance>> = {
  f64: { atol: 1e-6, rtol: 1e-5 },
  f32: { atol: 2e-4, rtol: 2e-3 },
  f16: { atol: 5e-2, rtol: 5e-2 },
};

function check(ok: boolean, message: () => string): void {
  if (!ok) throw new ConformanceMismatch(`[@flux/tooling] conformance: ${message()}`);
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sample(spec: InputSpec, r: k.Rng): Float64Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const d = spec.domain ?? ((u: number) => 2 * u);
  return Float64Array.from({ length: n }, () => d(2 * r.uniform() - 1));
}

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), Number);
}

function throwsLike(fn: () => unknown, ErrorClass: new (...a: never[]) => Error, pattern?: RegExp): boolean {
  try {
    fn();
  } catch (e) {
    return e instanceof ErrorClass && (pattern === undefined || pattern.test((e as Error).message));
  }
  return false;
}

/**
 * Builds the conformance suite of backend `backendName`: the hand-checked value cases, the fast-check
 * gradient cases and the error checks, each a plain async function.
 *
 * @example
 * const suite = opConformanceSuite("webgpu", { dtype: "f32" });
 * await suite.setup();
 * for (const c of suite.checks) await c.run();
 */
export function opConformanceSuite(backendName: string, opts: OpConformanceOptions = {}): ConformanceSuite {
  const numRuns = opts.numRuns ?? 12;
  const seed = opts.seed ?? 20251126;
  let backend: Backend;
  let device: DeviceDescriptor;
  let dtype: DType;
  let reference = false; // true: this backend in f64 is checked against finite differences

  async function setup(): Promise<void> {
    await opts.setup?.();
    backend = await k.getBackend(backendName, opts.id ?? 0);
    device = backend.device;
    dtype = opts.dtype ?? (backend.dtypes.includes("f64") ? "f64" : "f32");
    reference = dtype === "f64";
  }

  const values: ConformanceCheck[] = VALUE_CASES.map((c) => ({
    group: "values",
    name: c.name,
    run: async () => {
      const before = k.memory(device).liveTensors;
      const make: Make = (data, shape, dt) =>
        k.tensor(data as number[], shape, { dtype: dt ?? dtype, device });
      const out = k.tidy(() => c.run(make));
      try {
        check(out.device === device, () => `${c.name}: device ${out.device}, expected ${device}`);
        check(sameList(out.shape, c.shape), () => `${c.name}: shape [${out.shape}], expected [${c.shape}]`);
        const wantDtype = c.dtype ?? dtype;
        check(out.dtype === wantDtype, () => `${c.name}: dtype ${out.dtype}, expected ${wantDtype}`);
        const tol = TOLERANCES[out.dtype] ?? { atol: 0, rtol: 0 };
        const got = await read(out);
        const { excess, index } = worstMismatch(got, c.values, tol.atol, tol.rtol);
        check(
          excess === 0,
          () => `${c.name}: element ${index}: got ${got[index]}, expected ${c.values[index]}`,
        );
      } finally {
        out.dispose();
      }
      const after = k.memory(device).liveTensors;
      check(after === before, () => `${c.name}: ${after - before} tensor(s) left alive`);
    },
  }));

  const gradients: ConformanceCheck[] = GRAD_CASES.map((c) => ({
    group: "gradients",
    name: c.name,
    run: async () => {
      await fc.assert(
        fc.asyncProperty(c.params, fc.integer({ min: 1, max: 2 ** 30 }), async (p, valueSeed) => {
          await checkGradient(c, p, valueSeed);
        }),
        { numRuns, seed },
      );
    },
  }));

  const errors: ConformanceCheck[] = [
    {
      group: "errors",
      name: "names the op when a disposed tensor is used",
      run: async () => {
        const x = k.ones([2], { dtype, device });
        x.dispose();
        check(
          throwsLike(() => k.exp(x), k.DisposedTensorError, /exp/),
          () => "exp of a disposed tensor",
        );
      },
    },
    {
      group: "errors",
      name: "rejects shapes that do not broadcast",
      run: async () => {
        const a = k.ones([2, 3], { dtype, device });
        const b = k.ones([3], { dtype, device });
        try {
          check(
            throwsLike(() => k.add(a, b), k.ShapeError),
            () => "add([2,3], [3]) did not throw a ShapeError",
          );
        } finally {
          a.dispose();
          b.dispose();
        }
      },
    },
  ];

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
    const after = k.memory(device).liveTensors;
    check(after === before, () => `${c.name}: ${after - before} tensor(s) left alive`);

    const expected = reference
      ? finiteDifferences(c, p, specs, hosts, wHost)
      : await cpuGradients(c, p, specs, hosts, wHost);
    const tol = GRAD_TOLERANCES[dtype] ?? { atol: 1e-3, rtol: 1e-2 };
    got.forEach((g, i) => {
      const { excess, index } = worstMismatch(g, expected[i]!, tol.atol, tol.rtol);
      check(
        excess === 0,
        () =>
          `${c.name} params ${JSON.stringify(p)}: d/d(input ${i})[${index}] = ${g[index]}, expected ${expected[i]![index]}`,
      );
    });
  }

  return {
    title: `op conformance: ${backendName}${opts.dtype ? ` (${opts.dtype})` : ""}`,
    setup,
    checks: [...values, ...gradients, ...errors],
  };
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
