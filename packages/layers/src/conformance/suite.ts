// The layer and loss conformance suite without a test framework: a list of named async checks that throw on
// failure, in the shape of tooling/conformance's op suite ({ title, setup, checks }), so the same list runs
// under vitest (./layers.conformance.*.test.ts) and through tooling/conformance/runtime's runner on other
// runtimes. Keep it free of vitest and of runtime-specific APIs (no node:, no Deno).
//
// Each case builds its layer from named deterministic tensors (./det.ts) on the device under test and checks
//   values     against reference numbers (PyTorch, or numpy formulas where torch lacks the layer: see
//              ./make_fixtures.py, which wrote ./fixtures.ts), in the backend's float dtype;
//   gradients  of sum(out .* w) with respect to every tensor the case names (parameters and inputs):
//              against central finite differences in f64 on the CPU, or against the CPU's f64 autodiff on
//              backends without f64 (WebGPU);
//   leaks      no tensor left alive on the device after either check.
import * as k from "@flux/kernels";
import type { Backend, DeviceDescriptor, DType, Tensor } from "@flux/kernels";
import { type DetSpec, detValues } from "./det.js";
import { FIXTURES } from "./fixtures.js";
import { LAYER_CASES, type LayerCase } from "./cases.js";

/** Options of the layer conformance suite. */
export interface LayerConformanceOptions {
  /** Device id on that backend (default 0). */
  id?: number;
  /** Float dtype to test in; default f64 where the backend stores it, else f32. */
  dtype?: DType;
  /** Only cases whose name contains one of these strings. */
  filter?: readonly string[];
  /** Awaited before the suite (e.g. register the backend). */
  setup?: () => void | Promise<void>;
}

/** One named check; `run` resolves when it passes and throws when not. */
export interface LayerConformanceCheck {
  readonly group: "values" | "gradients";
  readonly name: string;
  readonly run: () => Promise<void>;
}

/** A backend's whole suite: `setup` once, then every check in order. */
export interface LayerConformanceSuite {
  readonly title: string;
  readonly setup: () => Promise<void>;
  readonly checks: readonly LayerConformanceCheck[];
}

/** What a failed check throws. */
export class LayerConformanceMismatch extends Error {
  override name = "LayerConformanceMismatch";
  readonly code = "ERR_LAYER_CONFORMANCE_MISMATCH";
}

interface Tolerance {
  atol: number;
  rtol: number;
}

const VALUE_TOL: Partial<Record<DType, Tolerance>> = {
  f64: { atol: 1e-9, rtol: 1e-8 },
  f32: { atol: 5e-5, rtol: 2e-4 },
};
const GRAD_TOL: Partial<Record<DType, Tolerance>> = {
  f64: { atol: 2e-6, rtol: 2e-5 },
  f32: { atol: 5e-4, rtol: 5e-3 },
};

function fail(message: string): never {
  throw new LayerConformanceMismatch(`[@flux/layers] layer conformance: ${message}`);
}

/** Largest violation of `|a - b| <= atol + rtol |b|`, with its index (-1 when all close). */
export function worstMismatch(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  tol: Tolerance,
): { excess: number; index: number } {
  if (a.length !== b.length) return { excess: Number.POSITIVE_INFINITY, index: -1 };
  let excess = 0;
  let index = -1;
  for (let i = 0; i < a.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    const over = Math.abs(x - y) - (tol.atol + tol.rtol * Math.abs(y));
    if (!(over <= 0) && (Number.isNaN(over) || over > excess)) {
      excess = Number.isNaN(over) ? Number.POSITIVE_INFINITY : over;
      index = i;
    }
  }
  return { excess, index };
}

function makeTensors(
  specs: Readonly<Record<string, DetSpec>>,
  hosts: Readonly<Record<string, Float64Array>>,
  dtype: DType,
  device: DeviceDescriptor | string,
): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, spec] of Object.entries(specs))
    out[name] = k.tensor(hosts[name]!, [...spec.shape], { dtype, device });
  return out;
}

function hostsOf(c: LayerCase): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, spec] of Object.entries(c.tensors)) out[name] = detValues(spec);
  return out;
}

function gradNames(c: LayerCase): string[] {
  const no = new Set(c.noGrad ?? []);
  return Object.keys(c.tensors).filter((n) => !no.has(n));
}

// sum(run(t) .* w) on the CPU in f64, as a number.
function cpuLoss(c: LayerCase, hosts: Record<string, Float64Array>, w: Float64Array): number {
  return k.tidy(() => {
    const t = makeTensors(c.tensors, hosts, "f64", "cpu");
    const out = c.run(t);
    return k.sum(k.mul(out, k.tensor(w, out.shape, { dtype: "f64" }))).dataSync()[0]!;
  });
}

// Central differences of cpuLoss for each element of each differentiated tensor.
function finiteDifferences(
  c: LayerCase,
  hosts: Record<string, Float64Array>,
  w: Float64Array,
  names: readonly string[],
): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const name of names) {
    const x = hosts[name]!;
    const g = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const saved = x[i]!;
      const h = 1e-6 * Math.max(1, Math.abs(saved));
      x[i] = saved + h;
      const plus = cpuLoss(c, hosts, w);
      x[i] = saved - h;
      const minus = cpuLoss(c, hosts, w);
      x[i] = saved;
      g[i] = (plus - minus) / (2 * h);
    }
    out[name] = g;
  }
  return out;
}

// Autodiff gradients of sum(run(t) .* w) on `device` in `dtype`, read back to the host.
async function autodiffGradients(
  c: LayerCase,
  hosts: Record<string, Float64Array>,
  w: Float64Array,
  names: readonly string[],
  dtype: DType,
  device: DeviceDescriptor | string,
): Promise<Record<string, number[]>> {
  const t = makeTensors(c.tensors, hosts, dtype, device);
  const outShape = k.tidy(() => [...c.run(t).shape]);
  const wt = k.tensor(w, outShape, { dtype, device });
  const xs = names.map((n) => t[n]!);
  const grads = k.gradient(
    (...args: Tensor[]) => {
      const named = { ...t };
      names.forEach((n, i) => {
        named[n] = args[i]!;
      });
      return k.sum(k.mul(c.run(named), wt));
    },
    ...xs,
  ) as (Tensor | null)[];
  const out: Record<string, number[]> = {};
  for (let i = 0; i < names.length; i++) {
    const g = grads[i];
    out[names[i]!] = g ? Array.from(await g.data(), Number) : new Array<number>(xs[i]!.size).fill(0);
  }
  k.dispose(grads);
  k.dispose(Object.values(t));
  wt.dispose();
  return out;
}

/**
 * Builds the layer conformance suite of backend `backendName` (one value and one gradient check per case).
 *
 * @example
 * const suite = layerConformanceSuite("webgpu");
 * await suite.setup();
 * for (const c of suite.checks) await c.run();
 */
export function layerConformanceSuite(
  backendName: string,
  opts: LayerConformanceOptions = {},
): LayerConformanceSuite {
  let backend: Backend;
  let device: DeviceDescriptor;
  let dtype: DType;

  async function setup(): Promise<void> {
    await opts.setup?.();
    backend = await k.getBackend(backendName, opts.id ?? 0);
    device = backend.device;
    dtype = opts.dtype ?? (backend.dtypes.includes("f64") ? "f64" : "f32");
  }

  const cases = LAYER_CASES.filter(
    (c) => opts.filter === undefined || opts.filter.some((f) => c.name.includes(f)),
  );

  const values: LayerConformanceCheck[] = cases.map((c) => ({
    group: "values",
    name: c.name,
    run: async () => {
      const ref =
        typeof c.expected === "function" ? c.expected(hostsOf(c)) : (c.expected ?? FIXTURES[c.name]);
      if (ref === undefined) fail(`${c.name}: no reference values (run make_fixtures.py).`);
      const before = k.memory(device).liveTensors;
      const t = makeTensors(c.tensors, hostsOf(c), dtype, device);
      const out = k.tidy(() => c.run(t));
      try {
        if (out.device !== device) fail(`${c.name}: output on ${out.device}, expected ${device}`);
        if (out.shape.join() !== ref.shape.join())
          fail(`${c.name}: shape [${out.shape}], expected [${ref.shape}]`);
        const got = Array.from(await out.data(), Number);
        const { excess, index } = worstMismatch(got, ref.values, VALUE_TOL[dtype] ?? VALUE_TOL.f32!);
        if (excess > 0)
          fail(`${c.name}: element ${index} is ${got[index]}, expected ${ref.values[index]} (${dtype})`);
      } finally {
        out.dispose();
        k.dispose(Object.values(t));
      }
      const after = k.memory(device).liveTensors;
      if (after !== before) fail(`${c.name}: ${after - before} tensor(s) left alive on ${device}`);
    },
  }));

  const gradients: LayerConformanceCheck[] = cases
    .filter((c) => c.grad !== false)
    .map((c) => ({
      group: "gradients",
      name: c.name,
      run: async () => {
        const names = gradNames(c);
        const hosts = hostsOf(c);
        const outShape = k.tidy(() => [...c.run(makeTensors(c.tensors, hosts, "f64", "cpu")).shape]);
        const w = detValues({ shape: outShape, seed: 99 });
        const before = k.memory(device).liveTensors;
        const got = await autodiffGradients(c, hosts, w, names, dtype, device);
        const after = k.memory(device).liveTensors;
        if (after !== before) fail(`${c.name}: ${after - before} tensor(s) left alive after gradient`);
        const reference = dtype === "f64";
        const want = reference
          ? finiteDifferences(c, hosts, w, names)
          : await autodiffGradients(c, hosts, w, names, "f64", "cpu");
        const tol = GRAD_TOL[dtype] ?? GRAD_TOL.f32!;
        for (const n of names) {
          const { excess, index } = worstMismatch(got[n]!, want[n]!, tol);
          if (excess > 0)
            fail(
              `${c.name}: d/d${n}[${index}] = ${got[n]![index]}, expected ${want[n]![index]} (${reference ? "finite differences" : "cpu f64"})`,
            );
        }
      },
    }));

  return {
    title: `layer conformance: ${backendName}${opts.dtype ? ` (${opts.dtype})` : ""}`,
    setup,
    checks: [...values, ...gradients],
  };
}
