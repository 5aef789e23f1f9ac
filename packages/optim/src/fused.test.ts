// The fused step of every rule against its oracle, the reference path (the rule's `apply` as element-wise
// ops): on the CPU bit for bit (f32 and f64), on WebGPU to float32 rounding, over random shapes,
// hyper-parameters, gradients and chains (fast-check, seeded). Also: that the fused path really runs (the
// state tensors are updated in place) and where it steps aside for the reference path.
import { type DType, type Tensor, getBackend, memory, tensor, tensorsIn } from "@flux/kernels";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { webgpuAvailableForTests } from "../../kernels/src/webgpu/testing.js";
import { setFusedSteps } from "./fused.js";
import {
  AccumGrad,
  AdaDelta,
  AdaGrad,
  AdaMax,
  Adam,
  AdamW,
  ClipGrad,
  ClipNorm,
  Descent,
  Lion,
  Momentum,
  NAdam,
  Nesterov,
  OptimiserChain,
  RAdam,
  RMSProp,
  type Rule,
  SignDecay,
  WeightDecay,
  setup,
  update,
  updateInPlace,
} from "./index.js";

const webgpuOk = await webgpuAvailableForTests();

const eta = fc.double({ min: 1e-4, max: 0.5, noNaN: true });
const decay = fc.double({ min: 0, max: 0.999, noNaN: true });
const beta = fc.tuple(
  fc.double({ min: 0.5, max: 0.99, noNaN: true }),
  fc.double({ min: 0.9, max: 0.9999, noNaN: true }),
);
const eps = fc.double({ min: 1e-10, max: 1e-3, noNaN: true });
const small = fc.double({ min: 0, max: 0.1, noNaN: true });

/** Every rule with a fused form, with arbitrary valid hyper-parameters; and chains of them. */
const RULES: Record<string, fc.Arbitrary<Rule>> = {
  Descent: eta.map((e) => Descent(e)),
  Momentum: fc.tuple(eta, decay).map(([e, r]) => Momentum(e, r)),
  Nesterov: fc.tuple(eta, decay).map(([e, r]) => Nesterov(e, r)),
  RMSProp: fc.tuple(eta, decay, eps, fc.boolean()).map(([e, r, p, c]) => RMSProp(e, r, p, { centred: c })),
  Adam: fc.tuple(eta, beta, eps).map(([e, b, p]) => Adam(e, b, p)),
  AdamW: fc
    .tuple(eta, beta, small, eps, fc.boolean())
    .map(([e, b, l, p, c]) => AdamW(e, b, l, p, { couple: c })),
  NAdam: fc.tuple(eta, beta, eps).map(([e, b, p]) => NAdam(e, b, p)),
  RAdam: fc.tuple(eta, beta, eps).map(([e, b, p]) => RAdam(e, b, p)),
  AdaMax: fc.tuple(eta, beta, eps).map(([e, b, p]) => AdaMax(e, b, p)),
  AdaGrad: fc.tuple(eta, eps).map(([e, p]) => AdaGrad(e, p)),
  AdaDelta: fc.tuple(decay, eps).map(([r, p]) => AdaDelta(r, p)),
  Lion: fc.tuple(eta, beta).map(([e, b]) => Lion(e, b)),
  "ClipGrad → Descent": fc
    .tuple(fc.double({ min: 0.01, max: 2, noNaN: true }), eta)
    .map(([d, e]) => OptimiserChain(ClipGrad(d), Descent(e))),
  "ClipNorm → Adam": fc
    .tuple(
      fc.double({ min: 0.1, max: 20, noNaN: true }),
      fc.constantFrom(1, 2, 3, Number.POSITIVE_INFINITY),
      eta,
    )
    .map(([o, p, e]) => OptimiserChain(ClipNorm(o, p), Adam(e))),
  "WeightDecay → Adam": fc
    .tuple(small, eta, beta)
    .map(([l, e, b]) => OptimiserChain(WeightDecay(l), Adam(e, b))),
  "SignDecay → WeightDecay → Momentum": fc
    .tuple(small, small, eta, decay)
    .map(([s, w, e, r]) => OptimiserChain(SignDecay(s), WeightDecay(w), Momentum(e, r))),
  "ClipGrad → WeightDecay → RMSProp centred": fc
    .tuple(fc.double({ min: 0.1, max: 2, noNaN: true }), small, eta)
    .map(([d, w, e]) => OptimiserChain(ClipGrad(d), WeightDecay(w), RMSProp(e, { centred: true }))),
  "Adam → WeightDecay (decay after the step)": fc
    .tuple(eta, small)
    .map(([e, w]) => OptimiserChain(Adam(e), WeightDecay(w))),
  "OptimiserChain()": fc.constant(OptimiserChain()),
};

const shape = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 40 })).map((s) => [...s]),
  fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 130 })).map((s) => [...s]),
  fc.constantFrom([4099], [3, 5, 7], [1]),
);

function seeded(n: number, seed: number, scale: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return scale * ((2 * s) / 2 ** 32 - 1);
  });
}

interface Run {
  readonly x: number[][];
  readonly state: number[][];
  /** Whether every state tensor was the same object after each step (fused: updated in place). */
  readonly inPlace: boolean;
}

/** Trains one parameter for `steps` steps on `device`, fused or reference, with `pure` (update) or in place. */
async function trainOnce(
  rule: Rule,
  dims: readonly number[],
  dtype: DType,
  device: string,
  fused: boolean,
  steps: number,
  seed: number,
  pure = false,
): Promise<Run> {
  const n = dims.reduce((a, b) => a * b, 1);
  setFusedSteps(fused);
  try {
    let model = { w: tensor(seeded(n, seed, 1), dims, { dtype, device }) };
    let state = setup(rule, model);
    const xs: number[][] = [];
    let inPlace = true;
    for (let k = 0; k < steps; k++) {
      const g = tensor(seeded(n, seed + 1 + k, 2), dims, { dtype, device });
      const before = [...tensorsIn(state)];
      if (pure) {
        const [s2, m2] = update(state, model, { w: g });
        for (const t of [...tensorsIn(state), model.w]) t.dispose();
        [state, model] = [s2, m2];
      } else {
        updateInPlace(state, model, { w: g });
        const after = new Set(tensorsIn(state));
        inPlace &&= before.every((t) => after.has(t));
      }
      g.dispose();
      xs.push(Array.from(await model.w.data()));
    }
    const st: number[][] = [];
    for (const t of tensorsIn(state)) st.push(Array.from(await t.data()));
    for (const t of [...tensorsIn(state), model.w]) t.dispose();
    return { x: xs, state: st, inPlace };
  } finally {
    setFusedSteps(undefined);
  }
}

function expectSame(a: number[][], b: number[][], what: string): void {
  expect(a.length, what).toBe(b.length);
  for (const [i, row] of a.entries()) {
    for (const [j, v] of row.entries()) {
      if (!Object.is(v, b[i]![j]!))
        throw new Error(`${what}: [${i}][${j}] fused ${v}, reference ${b[i]![j]}`);
    }
  }
}

function expectClose(a: number[][], b: number[][], rtol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  a.forEach((row, i) => {
    const scale = Math.max(1e-3, ...b[i]!.map(Math.abs));
    row.forEach((v, j) => {
      const err = Math.abs(v - b[i]![j]!);
      if (!(err <= rtol * scale)) {
        throw new Error(
          `${what}: [${i}][${j}] fused ${v}, reference ${b[i]![j]} (|err| ${err} > ${rtol * scale})`,
        );
      }
    });
  });
}

describe.each(Object.entries(RULES))("fused %s on the CPU", (_name, rules) => {
  it.each(["f32", "f64"] as DType[])("equals the reference path bit for bit (%s)", async (dtype) => {
    await fc.assert(
      fc.asyncProperty(rules, shape, fc.integer({ min: 0, max: 1 << 20 }), async (rule, dims, seed) => {
        const fusedRun = await trainOnce(rule, dims, dtype, "cpu", true, 7, seed);
        const refRun = await trainOnce(rule, dims, dtype, "cpu", false, 7, seed);
        expectSame(fusedRun.x, refRun.x, `${String(rule)} ${dtype} [${dims}] x`);
        expectSame(fusedRun.state, refRun.state, `${String(rule)} ${dtype} [${dims}] state`);
        expect(fusedRun.inPlace, "fused steps update the state tensors in place").toBe(true);
      }),
      { numRuns: 12, seed: 1234 },
    );
  });
});

describe("the fused path", () => {
  it("serves update (pure) too, with the same values", async () => {
    const rule = OptimiserChain(WeightDecay(0.01), Adam(0.01));
    const a = await trainOnce(rule, [33, 5], "f32", "cpu", true, 5, 9, true);
    const b = await trainOnce(rule, [33, 5], "f32", "cpu", false, 5, 9, true);
    expectSame(a.x, b.x, "update x");
    expectSame(a.state, b.state, "update state");
  });

  it("steps aside for AccumGrad (no fused form): the reference path runs, state replaced", async () => {
    const rule = OptimiserChain(AccumGrad(2), Adam());
    const run = await trainOnce(rule, [6], "f32", "cpu", true, 4, 3);
    expect(run.inPlace).toBe(false);
  });

  it("runs each step without leaving tensors behind (ClipNorm's norm and scale are temporaries)", () => {
    const model = { w: tensor(seeded(50, 1, 1), [5, 10]) };
    const state = setup(OptimiserChain(ClipNorm(0.5), Adam()), model);
    const g = { w: tensor(seeded(50, 2, 3), [5, 10]) };
    updateInPlace(state, model, g);
    const before = memory().liveTensors;
    for (let i = 0; i < 5; i++) updateInPlace(state, model, g);
    expect(memory().liveTensors).toBe(before);
  });
});

describe.skipIf(!webgpuOk)("fused steps on WebGPU", () => {
  it.each(Object.entries(RULES))("%s equals the reference path to float32 rounding", async (_name, rules) => {
    const gpu = await getBackend("webgpu");
    await fc.assert(
      fc.asyncProperty(rules, shape, fc.integer({ min: 0, max: 1 << 20 }), async (rule, dims, seed) => {
        const fusedRun = await trainOnce(rule, dims, "f32", String(gpu.device), true, 5, seed);
        const refRun = await trainOnce(rule, dims, "f32", String(gpu.device), false, 5, seed);
        expectClose(fusedRun.x, refRun.x, 2e-5, `${String(rule)} [${dims}] x`);
        expectClose(fusedRun.state, refRun.state, 2e-5, `${String(rule)} [${dims}] state`);
        expect(fusedRun.inPlace).toBe(true);
        // And both agree with the CPU's reference path.
        const cpuRun = await trainOnce(rule, dims, "f32", "cpu", false, 5, seed);
        expectClose(fusedRun.x, cpuRun.x, 2e-5, `${String(rule)} [${dims}] x vs cpu`);
      }),
      { numRuns: 3, seed: 99 },
    );
  });

  it("one step of Adam is one dispatch per parameter", async () => {
    const gpu = (await getBackend("webgpu")) as unknown as {
      device: unknown;
      flush(): void;
      stats(): { dispatches: number };
    };
    const dev = String(gpu.device);
    const model = {
      w: tensor(seeded(64, 1, 1), [8, 8], { device: dev }),
      b: tensor([1, 2], [2], { device: dev }),
    };
    const state = setup(Adam(), model);
    const g = {
      w: tensor(seeded(64, 2, 1), [8, 8], { device: dev }),
      b: tensor([1, 1], [2], { device: dev }),
    };
    gpu.flush();
    const before = gpu.stats().dispatches;
    updateInPlace(state, model, g);
    expect(gpu.stats().dispatches - before).toBe(2);
    for (const t of [...tensorsIn(state), model.w, model.b, g.w, g.b]) (t as Tensor).dispose();
  });
});
