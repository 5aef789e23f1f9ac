// The layer and loss conformance suite without a test framework: named async checks that throw on failure,
// in the shape every conformance suite has (tooling/conformance/runtime/suite.ts), so the same list runs
// under vitest (./layers.conformance.*.test.ts) and through tooling/conformance/runtime's runner on Bun,
// Deno and in Chromium. Keep it free of vitest and of runtime-specific APIs (no node:, no Deno).
//
// Every case of ./cases.ts (the one list) is checked on the device under test for
//   values       against reference numbers (PyTorch, or numpy formulas where torch lacks the layer: see
//                ./make_fixtures.py, which wrote ./fixtures.ts), in the backend's float dtype, shape included;
//   gradients    of sum(out .* w) with respect to every tensor the case names (parameters and inputs):
//                against central finite differences in f64 on the CPU, or against the CPU's f64 autodiff on
//                backends without f64 (WebGPU);
// and every LAYER case (one with `layer`) also for
//   fmap         `fmap(identity, m)` is a new layer of the same class that prints and computes the same;
//   state        `loadmodel(twin, state(m))` makes a twin built from other tensors compute what m does;
//   safetensors  `loadBytes(await saveBytes(m), twin)` does the same through the file format;
//   device       @flux/devices moves m (and its inputs) to the other device (the CPU suite: WebGPU; the
//                WebGPU suite: the CPU) and back: the same output there and back, within f32 tolerance;
//   show         `show(m)` of the f32 layer is the case's Flux text, and `String(m)` prints the same.
// No check may leave a tensor alive on either device.
import { cpuDevice, type Device as DevicesDevice, gpuDevice } from "@flux/devices";
import { fmap } from "@flux/functors";
import * as k from "@flux/kernels";
import type { Backend, DeviceDescriptor, DType, Tensor } from "@flux/kernels";
import { numericGradient, worstMismatch } from "../../../../tooling/conformance/finiteDiff.js";
import {
  type Check,
  ConformanceMismatch,
  type Suite,
  type SuiteOptions,
  type Tolerance,
} from "../../../../tooling/conformance/runtime/suite.js";
import { loadBytes } from "../io/loadBytes.js";
import { loadmodel } from "../io/loadmodel.js";
import { saveBytes } from "../io/saveBytes.js";
import { state } from "../io/state.js";
import { show } from "../show/show.js";
import { LAYER_CASES, type LayerCase, type Named } from "./cases.js";
import { type DetSpec, detValues } from "./det.js";
import { FIXTURES } from "./fixtures.js";

/** The groups of checks, in the order they run, with their titles. */
export const LAYER_GROUPS = {
  values: "values (PyTorch or numpy references)",
  gradients: "gradients (parameters and inputs)",
  fmap: "fmap(identity) rebuild",
  state: "state / loadmodel round trip",
  safetensors: "saveBytes / loadBytes round trip",
  device: "device move there and back (@flux/devices)",
  show: "printing (Flux's show)",
} as const;

/** A group of checks of the layer suite. */
export type LayerGroup = keyof typeof LAYER_GROUPS;

/** Options of the layer conformance suite. */
export interface LayerConformanceOptions extends SuiteOptions {
  /** Only cases whose name contains one of these strings. */
  filter?: readonly string[];
}

/** One named check of the layer suite. */
export type LayerConformanceCheck = Check<LayerGroup>;

/** A backend's whole layer suite: `setup` once, then every check in order. */
export type LayerConformanceSuite = Suite<LayerGroup>;

/** What a failed check throws. */
export class LayerConformanceMismatch extends ConformanceMismatch {
  override name = "LayerConformanceMismatch";
  constructor(message: string) {
    super(message, "ERR_LAYER_CONFORMANCE_MISMATCH");
  }
}

const VALUE_TOL: Partial<Record<DType, Tolerance>> = {
  f64: { atol: 1e-9, rtol: 1e-8 },
  f32: { atol: 5e-5, rtol: 2e-4 },
};
const GRAD_TOL: Partial<Record<DType, Tolerance>> = {
  f64: { atol: 2e-6, rtol: 2e-5 },
  f32: { atol: 5e-4, rtol: 5e-3 },
};
/** Exactly the same numbers (a rebuilt or reloaded layer runs the same ops on the same values). */
const SAME: Tolerance = { atol: 0, rtol: 0 };

/** The seed offset of the tensors a layer's twin is built from (other values, same shapes and kinds). */
const TWIN_SEED_OFFSET = 1000;

function fail(message: string): never {
  throw new LayerConformanceMismatch(`[@flux/layers] layer conformance: ${message}`);
}

function expectClose(label: string, got: readonly number[], want: readonly number[], tol: Tolerance): void {
  const { excess, index } = worstMismatch(got, want, tol.atol, tol.rtol);
  if (excess > 0) {
    fail(
      got.length === want.length
        ? `${label}: element ${index} is ${got[index]}, expected ${want[index]}`
        : `${label}: ${got.length} values, expected ${want.length}`,
    );
  }
}

/** The host values of a case's tensors (a twin's with `offset` added to every seed). */
function hostsOf(c: LayerCase, offset = 0): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, spec] of Object.entries(c.tensors))
    out[name] = detValues({ ...spec, seed: spec.seed + offset });
  return out;
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

/** The case's output: its layer (built from `t`) applied, or its function. */
function evaluate(c: LayerCase, t: Named): Tensor {
  return c.run(t, c.layer?.(t));
}

function gradNames(c: LayerCase): string[] {
  const no = new Set(c.noGrad ?? []);
  return Object.keys(c.tensors).filter((n) => !no.has(n));
}

async function read(t: Tensor): Promise<number[]> {
  return Array.from(await t.data(), Number);
}

/** Runs `fn`, then fails if it left tensors alive on any of `devices`. */
async function withoutLeaks(
  label: string,
  devices: readonly DeviceDescriptor[],
  fn: () => Promise<void>,
): Promise<void> {
  const live = () => devices.map((d) => k.memory(d).liveTensors);
  const before = live();
  await fn();
  live().forEach((n, i) => {
    if (n !== before[i]) fail(`${label}: ${n - before[i]!} tensor(s) left alive on ${devices[i]}`);
  });
}

// sum(run(t) .* w) on the CPU in f64, as a number.
function cpuLoss(c: LayerCase, hosts: Readonly<Record<string, Float64Array>>, w: Float64Array): number {
  return k.tidy(() => {
    const out = evaluate(c, makeTensors(c.tensors, hosts, "f64", "cpu"));
    return k.sum(k.mul(out, k.tensor(w, out.shape, { dtype: "f64" }))).dataSync()[0]!;
  });
}

// Central differences of cpuLoss for each element of each differentiated tensor.
function finiteDifferences(
  c: LayerCase,
  hosts: Readonly<Record<string, Float64Array>>,
  w: Float64Array,
  names: readonly string[],
): Record<string, number[]> {
  const grads = numericGradient(
    (xs) => cpuLoss(c, { ...hosts, ...Object.fromEntries(names.map((n, i) => [n, xs[i]!])) }, w),
    names.map((n) => hosts[n]!),
  );
  return Object.fromEntries(names.map((n, i) => [n, Array.from(grads[i]!)]));
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
  const outShape = k.tidy(() => [...evaluate(c, t).shape]);
  const wt = k.tensor(w, outShape, { dtype, device });
  const xs = names.map((n) => t[n]!);
  const grads = k.gradient(
    (...args: Tensor[]) => {
      const named = { ...t };
      names.forEach((n, i) => {
        named[n] = args[i]!;
      });
      return k.sum(k.mul(evaluate(c, named), wt));
    },
    ...xs,
  ) as (Tensor | null)[];
  const out: Record<string, number[]> = {};
  for (let i = 0; i < names.length; i++) {
    const g = grads[i];
    out[names[i]!] = g ? await read(g) : new Array<number>(xs[i]!.size).fill(0);
  }
  k.dispose([grads, t, wt]);
  return out;
}

/** The devices of the `device` group: this backend's, and the other one its layers move to and back from. */
interface MovePair {
  readonly home: DevicesDevice;
  readonly other: DevicesDevice;
}

/**
 * Builds the layer conformance suite of backend `backendName` from ./cases.ts: for each case a value and a
 * gradient check, and for each layer case an fmap, state, safetensors, device and show check.
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
  let moves: Promise<MovePair> | undefined;

  async function setup(): Promise<void> {
    await opts.setup?.();
    backend = await k.getBackend(backendName, opts.id ?? 0);
    device = backend.device;
    dtype = opts.dtype ?? (backend.dtypes.includes("f64") ? "f64" : "f32");
  }

  // The CPU moves to WebGPU and back; any other backend (a GPU) to the CPU and back. Selected on first use,
  // so that a CPU suite whose device checks are skipped never looks for a GPU.
  function movePair(): Promise<MovePair> {
    const gpu = () =>
      gpuDevice(backendName === "cpu" ? 0 : (opts.id ?? 0), { force: true, allowSoftware: true });
    moves ??=
      backendName === "cpu"
        ? gpu().then((other) => ({ home: cpuDevice(), other }))
        : gpu().then((home) => ({ home, other: cpuDevice() }));
    return moves;
  }

  const cases = LAYER_CASES.filter(
    (c) => opts.filter === undefined || opts.filter.some((f) => c.name.includes(f)),
  );
  const layerCases = cases.filter((c) => c.layer !== undefined);

  /** A check over the case's tensors on the device under test (`t`; `twin` from other seeds), leak-checked. */
  function onDevice(
    group: LayerGroup,
    c: LayerCase,
    body: (t: Named, twin: Named) => Promise<void>,
  ): LayerConformanceCheck {
    return {
      group,
      name: c.name,
      run: () =>
        withoutLeaks(c.name, [device], async () => {
          const t = makeTensors(c.tensors, hostsOf(c), dtype, device);
          const twin = makeTensors(c.tensors, hostsOf(c, TWIN_SEED_OFFSET), dtype, device);
          try {
            await body(t, twin);
          } finally {
            k.dispose([t, twin]);
          }
        }),
    };
  }

  /** The output `make` computes (its temporaries freed), as numbers. */
  async function output(make: () => Tensor): Promise<number[]> {
    const y = k.tidy(make);
    try {
      return await read(y);
    } finally {
      y.dispose();
    }
  }
  const layerOf = (c: LayerCase, t: Named) => c.layer!(t);
  const sameText = (c: LayerCase, what: string, got: string, want: string) => {
    if (got !== want) fail(`${c.name}: ${what} prints\n${got}\nexpected\n${want}`);
  };

  const values: LayerConformanceCheck[] = cases.map((c) =>
    onDevice("values", c, async (t) => {
      const ref =
        typeof c.expected === "function" ? c.expected(hostsOf(c)) : (c.expected ?? FIXTURES[c.name]);
      if (ref === undefined) fail(`${c.name}: no reference values (run make_fixtures.py).`);
      const out = k.tidy(() => evaluate(c, t));
      try {
        if (out.device !== device) fail(`${c.name}: output on ${out.device}, expected ${device}`);
        if (out.shape.join() !== ref.shape.join())
          fail(`${c.name}: shape [${out.shape}], expected [${ref.shape}]`);
        expectClose(`${c.name} (${dtype})`, await read(out), ref.values, VALUE_TOL[dtype] ?? VALUE_TOL.f32!);
      } finally {
        out.dispose();
      }
    }),
  );

  const gradients: LayerConformanceCheck[] = cases
    .filter((c) => c.grad !== false)
    .map((c) => ({
      group: "gradients",
      name: c.name,
      run: async () => {
        const names = gradNames(c);
        const hosts = hostsOf(c);
        const outShape = k.tidy(() => [...evaluate(c, makeTensors(c.tensors, hosts, "f64", "cpu")).shape]);
        const w = detValues({ shape: outShape, seed: 99 });
        let got: Record<string, number[]> = {};
        await withoutLeaks(`${c.name} (gradient)`, [device], async () => {
          got = await autodiffGradients(c, hosts, w, names, dtype, device);
        });
        const byDifferences = dtype === "f64";
        const want = byDifferences
          ? finiteDifferences(c, hosts, w, names)
          : await autodiffGradients(c, hosts, w, names, "f64", "cpu");
        const tol = GRAD_TOL[dtype] ?? GRAD_TOL.f32!;
        const against = byDifferences ? "finite differences" : "cpu f64";
        for (const n of names) expectClose(`${c.name}: d/d${n} (vs ${against})`, got[n]!, want[n]!, tol);
      },
    }));

  const rebuilt: LayerConformanceCheck[] = layerCases.map((c) =>
    onDevice("fmap", c, async (t) => {
      const want = await output(() => evaluate(c, t));
      const got = await output(() => {
        const m = layerOf(c, t);
        const copy = fmap((x: unknown) => x, m);
        if (copy === m) fail(`${c.name}: fmap(identity, m) returned m itself, not a rebuilt layer`);
        if (Object.getPrototypeOf(copy) !== Object.getPrototypeOf(m))
          fail(`${c.name}: fmap(identity, m) is a ${copy.constructor.name}, not a ${m.constructor.name}`);
        sameText(c, "fmap(identity, m)", show(copy), show(m));
        return c.run(t, copy);
      });
      expectClose(`${c.name}: fmap(identity, m)'s output`, got, want, SAME);
    }),
  );

  const stated: LayerConformanceCheck[] = layerCases.map((c) =>
    onDevice("state", c, async (t, twin) => {
      const want = await output(() => evaluate(c, t));
      const got = await output(() => {
        const m = layerOf(c, t);
        const copy = loadmodel(layerOf(c, twin), state(m));
        sameText(c, "loadmodel(twin, state(m))", show(copy), show(m));
        return c.run(t, copy);
      });
      expectClose(`${c.name}: loadmodel(twin, state(m))'s output`, got, want, SAME);
    }),
  );

  const saved: LayerConformanceCheck[] = layerCases.map((c) =>
    onDevice("safetensors", c, async (t, twin) => {
      const want = await output(() => evaluate(c, t));
      const m = k.tidy(() => layerOf(c, t));
      const copy = k.tidy(() => layerOf(c, twin));
      try {
        loadBytes(await saveBytes(m), copy);
        sameText(c, "loadBytes(saveBytes(m), twin)", show(copy), show(m));
        const got = await output(() => c.run(t, copy));
        expectClose(`${c.name}: loadBytes(saveBytes(m), twin)'s output`, got, want, SAME);
      } finally {
        k.dispose([m, copy]);
      }
    }),
  );

  const moved: LayerConformanceCheck[] = layerCases.map((c) => ({
    group: "device",
    name: c.name,
    run: async () => {
      const { home, other } = await movePair();
      await withoutLeaks(c.name, [device, other.device!], async () => {
        const t = makeTensors(c.tensors, hostsOf(c), dtype, device);
        const made: unknown[] = [t];
        // A fresh layer for each run: a layer with a generator (dropout) draws the same numbers each time.
        const fresh = () => {
          const m = k.tidy(() => layerOf(c, t));
          made.push(m);
          return m;
        };
        const move = async (dev: DevicesDevice, x: [object, Named]) => {
          const y = (await dev(x)) as [object, Named];
          made.push(y);
          return y;
        };
        try {
          const want = await output(() => evaluate(c, t));
          const tol = VALUE_TOL.f32!;
          const m = fresh();
          const [there, tThere] = await move(other, [m, t]);
          if (dtype === "f32") sameText(c, `the layer moved to ${other}`, show(there), show(m));
          const onOther = await output(() => c.run(tThere, there));
          expectClose(`${c.name}: output on ${other}`, onOther, want, tol);
          const [back, tBack] = await move(home, await move(other, [fresh(), t]));
          const onHome = await output(() => c.run(tBack, back));
          expectClose(`${c.name}: output after moving to ${other} and back`, onHome, want, tol);
        } finally {
          k.dispose(made);
        }
      });
    },
  }));

  const printed: LayerConformanceCheck[] = layerCases.map((c) => ({
    group: "show",
    name: c.name,
    run: () =>
      withoutLeaks(c.name, [device], async () => {
        const t = makeTensors(c.tensors, hostsOf(c), "f32", device);
        try {
          const [text, str] = k.tidy(() => {
            const m = layerOf(c, t);
            return [show(m), String(m)];
          });
          sameText(c, "show(m)", text, c.show!);
          sameText(c, "String(m)", str, text);
        } finally {
          k.dispose(t);
        }
      }),
  }));

  return {
    title: `layer conformance: ${backendName}${opts.dtype ? ` (${opts.dtype})` : ""}`,
    setup,
    checks: [...values, ...gradients, ...rebuilt, ...stated, ...saved, ...moved, ...printed],
  };
}
