// The conformance suite every rule passes (Optimisers.jl test/rules.jl style): one RULES list, each entry
// paired with a float64 reference written here independently, on plain JS number arrays.
import { type DType, type Tensor, gradient, memory, randn, rng, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import {
  AMSGrad,
  AccumGrad,
  AdaBelief,
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
} from "../index.js";
import { linearRegression } from "../linearRegression.testing.js";

type Vec = number[];
/** A reference rule: state in, state and step out, all float64 numbers. */
interface Ref {
  init(x: Vec): unknown;
  apply(state: unknown, x: Vec, g: Vec): [unknown, Vec | null];
}
const zerosOf = (x: Vec) => x.map(() => 0);
const sgn = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);

function refDescent(eta: number): Ref {
  return { init: () => null, apply: (s, _x, g) => [s, g.map((v) => eta * v)] };
}
function refMomentum(eta: number, rho: number): Ref {
  return {
    init: zerosOf,
    apply: (s, _x, g) => {
      const v = (s as Vec).map((vi, i) => rho * vi + eta * g[i]!);
      return [v, v];
    },
  };
}
function refNesterov(eta: number, rho: number): Ref {
  return {
    init: zerosOf,
    apply: (s, _x, g) => {
      const v = s as Vec;
      const d = v.map((vi, i) => -rho * rho * vi + (1 + rho) * eta * g[i]!);
      return [v.map((vi, i) => rho * vi - eta * g[i]!), d];
    },
  };
}
function refRMSProp(eta: number, rho: number, eps: number, centred: boolean): Ref {
  return {
    init: (x) => ({ q: zerosOf(x), l: zerosOf(x) }),
    apply: (s, _x, g) => {
      const { q, l } = s as { q: Vec; l: Vec };
      const q2 = q.map((v, i) => rho * v + (1 - rho) * g[i]! ** 2);
      const l2 = centred ? l.map((v, i) => rho * v + (1 - rho) * g[i]!) : l;
      return [{ q: q2, l: l2 }, g.map((gi, i) => (eta * gi) / (Math.sqrt(q2[i]! - l2[i]! ** 2) + eps))];
    },
  };
}
/** Adam-family moments with an explicit 1-based step count t (powers computed as β^t). */
interface Moments {
  m: Vec;
  v: Vec;
  t: number;
}
function moments(s: Moments, g: Vec, b1: number, b2: number): Moments {
  return {
    m: s.m.map((v, i) => b1 * v + (1 - b1) * g[i]!),
    v: s.v.map((v, i) => b2 * v + (1 - b2) * g[i]! ** 2),
    t: s.t + 1,
  };
}
const initMoments = (x: Vec): Moments => ({ m: zerosOf(x), v: zerosOf(x), t: 0 });
function refAdam(eta: number, b1: number, b2: number, eps: number): Ref {
  return {
    init: initMoments,
    apply: (s, _x, g) => {
      const n = moments(s as Moments, g, b1, b2);
      const d = n.m.map(
        (m, i) => (eta * (m / (1 - b1 ** n.t))) / (Math.sqrt(n.v[i]! / (1 - b2 ** n.t)) + eps),
      );
      return [n, d];
    },
  };
}
function refAdaBelief(eta: number, b1: number, b2: number, eps: number): Ref {
  return {
    init: (x) => ({ m: zerosOf(x), s: zerosOf(x), t: 0 }),
    apply: (st, _x, g) => {
      const prev = st as { m: Vec; s: Vec; t: number };
      const t = prev.t + 1;
      const m = prev.m.map((v, i) => b1 * v + (1 - b1) * g[i]!);
      const s = prev.s.map((v, i) => b2 * v + (1 - b2) * (g[i]! - m[i]!) ** 2 + eps);
      const d = m.map((mi, i) => (eta * mi) / (1 - b1 ** t) / (Math.sqrt(s[i]! / (1 - b2 ** t)) + eps));
      return [{ m, s, t }, d];
    },
  };
}
function refAMSGrad(eta: number, b1: number, b2: number, eps: number): Ref {
  return {
    init: (x) => ({ m: x.map(() => eps), v: x.map(() => eps), vhat: x.map(() => eps) }),
    apply: (st, _x, g) => {
      const prev = st as { m: Vec; v: Vec; vhat: Vec };
      const m = prev.m.map((v, i) => b1 * v + (1 - b1) * g[i]!);
      const v = prev.v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! ** 2);
      const vhat = prev.vhat.map((h, i) => Math.max(h, v[i]!));
      return [{ m, v, vhat }, m.map((mi, i) => (eta * mi) / (Math.sqrt(vhat[i]!) + eps))];
    },
  };
}
function refAdamW(eta: number, b1: number, b2: number, lambda: number, eps: number, couple: boolean): Ref {
  return {
    init: initMoments,
    apply: (s, x, g) => {
      const n = moments(s as Moments, g, b1, b2);
      const u = n.m.map((m, i) => m / (1 - b1 ** n.t) / (Math.sqrt(n.v[i]! / (1 - b2 ** n.t)) + eps));
      const d = u.map((ui, i) => (couple ? eta * (ui + lambda * x[i]!) : eta * ui + lambda * x[i]!));
      return [n, d];
    },
  };
}
function refRAdam(eta: number, b1: number, b2: number, eps: number): Ref {
  const rhoInf = 2 / (1 - b2) - 1;
  return {
    init: initMoments,
    apply: (s, _x, g) => {
      const n = moments(s as Moments, g, b1, b2);
      const t = n.t;
      const rho = rhoInf - (2 * t * b2 ** t) / (1 - b2 ** t);
      const mhat = n.m.map((m) => m / (1 - b1 ** t));
      if (rho <= 4) return [n, mhat.map((m) => eta * m)];
      const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
      return [n, mhat.map((m, i) => (eta * r * m) / (Math.sqrt(n.v[i]! / (1 - b2 ** t)) + eps))];
    },
  };
}
function refAdaGrad(eta: number, eps: number): Ref {
  return {
    init: (x) => x.map(() => eps),
    apply: (s, _x, g) => {
      const acc = (s as Vec).map((a, i) => a + g[i]! ** 2);
      return [acc, g.map((gi, i) => (eta * gi) / (Math.sqrt(acc[i]!) + eps))];
    },
  };
}
function refAdaDelta(rho: number, eps: number): Ref {
  return {
    init: (x) => ({ a: zerosOf(x), d: zerosOf(x) }),
    apply: (s, _x, g) => {
      const { a, d } = s as { a: Vec; d: Vec };
      const a2 = a.map((v, i) => rho * v + (1 - rho) * g[i]! ** 2);
      const step = g.map((gi, i) => (gi * Math.sqrt(d[i]! + eps)) / Math.sqrt(a2[i]! + eps));
      return [{ a: a2, d: d.map((v, i) => rho * v + (1 - rho) * step[i]! ** 2) }, step];
    },
  };
}
function refAdaMax(eta: number, b1: number, b2: number, eps: number): Ref {
  return {
    init: (x) => ({ m: zerosOf(x), u: zerosOf(x), t: 0 }),
    apply: (s, _x, g) => {
      const { m, u, t } = s as { m: Vec; u: Vec; t: number };
      const m2 = m.map((v, i) => b1 * v + (1 - b1) * g[i]!);
      const u2 = u.map((v, i) => Math.max(b2 * v, Math.abs(g[i]!)));
      const d = m2.map((mi, i) => ((eta / (1 - b1 ** (t + 1))) * mi) / (u2[i]! + eps));
      return [{ m: m2, u: u2, t: t + 1 }, d];
    },
  };
}
function refNAdam(eta: number, b1: number, b2: number, eps: number): Ref {
  return {
    init: initMoments,
    apply: (s, _x, g) => {
      const n = moments(s as Moments, g, b1, b2);
      const t = n.t;
      const d = n.m.map(
        (m, i) =>
          (eta * ((b1 * m) / (1 - b1 ** (t + 1)) + ((1 - b1) * g[i]!) / (1 - b1 ** t))) /
          (Math.sqrt((b2 * n.v[i]!) / (1 - b2 ** t)) + eps),
      );
      return [n, d];
    },
  };
}
function refLion(eta: number, b1: number, b2: number): Ref {
  return {
    init: zerosOf,
    apply: (s, _x, g) => {
      const m = (s as Vec).map((v, i) => b2 * g[i]! + (1 - b2) * v);
      return [m, m.map((mi, i) => eta * sgn((b2 - b1) * g[i]! + b1 * mi))];
    },
  };
}
function refClipGrad(delta: number): Ref {
  return { init: () => null, apply: (s, _x, g) => [s, g.map((v) => Math.min(Math.max(v, -delta), delta))] };
}
function refClipNorm(omega: number, p: number): Ref {
  const norm = (g: Vec) =>
    p === Number.POSITIVE_INFINITY
      ? Math.max(...g.map(Math.abs))
      : g.reduce((acc, v) => acc + Math.abs(v) ** p, 0) ** (1 / p);
  return { init: () => null, apply: (s, _x, g) => [s, g.map((v) => v * Math.min(omega / norm(g), 1))] };
}
function refWeightDecay(lambda: number): Ref {
  return { init: () => null, apply: (s, x, g) => [s, g.map((v, i) => v + lambda * x[i]!)] };
}
function refSignDecay(lambda: number): Ref {
  return { init: () => null, apply: (s, x, g) => [s, g.map((v, i) => v + lambda * sgn(x[i]!))] };
}
function refAccumGrad(n: number): Ref {
  return {
    init: (x) => ({ sum: zerosOf(x), k: 0 }),
    apply: (s, _x, g) => {
      const { sum, k } = s as { sum: Vec; k: number };
      const total = sum.map((v, i) => v + g[i]!);
      return k + 1 === n
        ? [{ sum: zerosOf(g), k: 0 }, total.map((v) => v / n)]
        : [{ sum: total, k: k + 1 }, null];
    },
  };
}
function refChain(...refs: Ref[]): Ref {
  return {
    init: (x) => refs.map((r) => r.init(x)),
    apply: (s, x, g) => {
      const states = s as unknown[];
      let d: Vec | null = g;
      const next = refs.map((r, i) => {
        if (d === null) return states[i];
        const [si, di] = r.apply(states[i], x, d);
        d = di;
        return si;
      });
      return [next, d];
    },
  };
}

interface Entry {
  readonly name: string;
  readonly rule: () => Rule;
  readonly ref: () => Ref;
  /** A faster setting for the convergence test (same rule, bigger steps), when the default is too slow. */
  readonly fast?: () => Rule;
  /**
   * Rules that are transforms, not optimisers (ClipGrad alone...): the convergence test runs them chained
   * before `Descent(0.1)`, as Optimisers.jl's tests chain them (with `chained`, a gentler setting, if given).
   */
  readonly transformOnly?: boolean;
  readonly chained?: () => Rule;
}

/**
 * Every public rule (the Optimisers.jl 0.4 rules the README lists) at its defaults, a few non-defaults, and
 * chains. Adding a rule = one line.
 */
const RULES: readonly Entry[] = [
  { name: "Descent", rule: () => Descent(), ref: () => refDescent(0.1) },
  { name: "Momentum", rule: () => Momentum(), ref: () => refMomentum(0.01, 0.9) },
  {
    name: "Nesterov",
    rule: () => Nesterov(),
    ref: () => refNesterov(0.001, 0.9),
    fast: () => Nesterov(0.02),
  },
  {
    name: "RMSProp",
    rule: () => RMSProp(),
    ref: () => refRMSProp(0.001, 0.9, 1e-8, false),
    fast: () => RMSProp(0.01),
  },
  {
    name: "RMSProp centred",
    rule: () => RMSProp({ centred: true }),
    ref: () => refRMSProp(0.001, 0.9, 1e-8, true),
    fast: () => RMSProp(0.01, { centred: true }),
  },
  { name: "Adam", rule: () => Adam(), ref: () => refAdam(0.001, 0.9, 0.999, 1e-8), fast: () => Adam(0.05) },
  {
    name: "AdamW",
    rule: () => AdamW(0.001, [0.9, 0.999], 0.01),
    ref: () => refAdamW(0.001, 0.9, 0.999, 0.01, 1e-8, true),
    fast: () => AdamW(0.05),
  },
  {
    name: "AdamW decoupled",
    rule: () => AdamW({ lambda: 0.01, couple: false }),
    ref: () => refAdamW(0.001, 0.9, 0.999, 0.01, 1e-8, false),
    fast: () => AdamW(0.05, { couple: false }),
  },
  {
    name: "RAdam",
    rule: () => RAdam(),
    ref: () => refRAdam(0.001, 0.9, 0.999, 1e-8),
    fast: () => RAdam(0.05),
  },
  { name: "AdaGrad", rule: () => AdaGrad(), ref: () => refAdaGrad(0.1, 1e-8), fast: () => AdaGrad(0.5) },
  {
    name: "AdaDelta",
    rule: () => AdaDelta(),
    ref: () => refAdaDelta(0.9, 1e-8),
    fast: () => AdaDelta(0.9, 1e-2),
  },
  {
    name: "AdaMax",
    rule: () => AdaMax(),
    ref: () => refAdaMax(0.001, 0.9, 0.999, 1e-8),
    fast: () => AdaMax(0.05),
  },
  {
    name: "NAdam",
    rule: () => NAdam(),
    ref: () => refNAdam(0.001, 0.9, 0.999, 1e-8),
    fast: () => NAdam(0.05),
  },
  {
    name: "AdaBelief",
    rule: () => AdaBelief(),
    ref: () => refAdaBelief(0.001, 0.9, 0.999, 1e-16),
    fast: () => AdaBelief(0.05),
  },
  {
    name: "AMSGrad",
    rule: () => AMSGrad(),
    ref: () => refAMSGrad(0.001, 0.9, 0.999, 1e-8),
    fast: () => AMSGrad(0.05),
  },
  { name: "Lion", rule: () => Lion(), ref: () => refLion(0.001, 0.9, 0.999), fast: () => Lion(0.01) },
  { name: "ClipGrad", rule: () => ClipGrad(0.5), ref: () => refClipGrad(0.5), transformOnly: true },
  { name: "ClipNorm", rule: () => ClipNorm(1), ref: () => refClipNorm(1, 2), transformOnly: true },
  { name: "ClipNorm p=1", rule: () => ClipNorm(1, 1), ref: () => refClipNorm(1, 1), transformOnly: true },
  {
    name: "ClipNorm p=Inf",
    rule: () => ClipNorm(0.5, Number.POSITIVE_INFINITY),
    ref: () => refClipNorm(0.5, Number.POSITIVE_INFINITY),
    transformOnly: true,
  },
  {
    name: "WeightDecay",
    rule: () => WeightDecay(0.1),
    ref: () => refWeightDecay(0.1),
    transformOnly: true,
    chained: () => WeightDecay(1e-4),
  },
  {
    name: "SignDecay",
    rule: () => SignDecay(0.1),
    ref: () => refSignDecay(0.1),
    transformOnly: true,
    chained: () => SignDecay(1e-4),
  },
  { name: "AccumGrad", rule: () => AccumGrad(3), ref: () => refAccumGrad(3), transformOnly: true },
  { name: "OptimiserChain()", rule: () => OptimiserChain(), ref: () => refChain(), transformOnly: true },
  {
    name: "ClipGrad → Momentum",
    rule: () => OptimiserChain(ClipGrad(0.5), Momentum()),
    ref: () => refChain(refClipGrad(0.5), refMomentum(0.01, 0.9)),
  },
  {
    name: "ClipNorm → Adam",
    rule: () => OptimiserChain(ClipNorm(), Adam()),
    ref: () => refChain(refClipNorm(10, 2), refAdam(0.001, 0.9, 0.999, 1e-8)),
    fast: () => OptimiserChain(ClipNorm(), Adam(0.05)),
  },
  {
    name: "SignDecay → WeightDecay → Adam",
    rule: () => OptimiserChain(SignDecay(0.01), WeightDecay(0.02), Adam()),
    ref: () => refChain(refSignDecay(0.01), refWeightDecay(0.02), refAdam(0.001, 0.9, 0.999, 1e-8)),
    fast: () => OptimiserChain(SignDecay(1e-4), WeightDecay(1e-4), Adam(0.05)),
  },
  {
    name: "AccumGrad → WeightDecay → Descent",
    rule: () => OptimiserChain(AccumGrad(2), WeightDecay(0.01), Descent(0.1)),
    ref: () => refChain(refAccumGrad(2), refWeightDecay(0.01), refDescent(0.1)),
  },
];

const R = rng(1234);
const X0 = Array.from({ length: 6 }, () => R.normal());
const GRADS = Array.from({ length: 8 }, () => Array.from({ length: 6 }, () => 2 * R.normal()));

async function valuesOf(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function expectClose(actual: number[], expected: number[], rtol: number, what: string) {
  const scale = Math.max(1e-3, ...expected.map(Math.abs));
  actual.forEach((a, i) => {
    const err = Math.abs(a - expected[i]!);
    if (!(err <= rtol * scale)) {
      throw new Error(
        `${what}: element ${i} is ${a}, reference ${expected[i]} (|err| ${err}, allowed ${rtol * scale})`,
      );
    }
  });
}

describe.each(RULES)("rule $name", (entry) => {
  it.each([
    ["f64", 1e-12],
    ["f32", 2e-5],
  ] as [DType, number][])("matches the float64 reference step by step (%s)", async (dtype, rtol) => {
    const ref = entry.ref();
    let x = [...X0];
    let refState = ref.init(x);
    let model = { w: tensor(X0, [3, 2], { dtype }) };
    let state = setup(entry.rule(), model);
    for (const [k, g] of GRADS.entries()) {
      const [rs, d] = ref.apply(refState, x, g);
      refState = rs;
      if (d !== null) x = x.map((v, i) => v - d[i]!);
      const grad = { w: tensor(g, [3, 2], { dtype }) };
      const [state2, model2] = update(state, model, grad);
      expect(model2.w.dtype).toBe(dtype);
      expectClose(await valuesOf(model2.w), x, rtol, `${entry.name} ${dtype} step ${k + 1}`);
      state = state2;
      model = model2;
    }
  });

  it("keeps the parameter's dtype in the state (f32 stays f32, f64 stays f64)", () => {
    for (const dtype of ["f32", "f64"] as DType[]) {
      const model = { w: tensor(X0, [3, 2], { dtype }) };
      const state = setup(entry.rule(), model);
      updateInPlace(state, model, { w: tensor(GRADS[0]!, [3, 2], { dtype }) });
      expect(model.w.dtype).toBe(dtype);
      const dtypes = new Set<string>();
      const visit = (s: unknown): void => {
        if (s && typeof s === "object") {
          if ("dtype" in s && "shape" in s) dtypes.add((s as Tensor).dtype);
          else for (const v of Object.values(s)) visit(v);
        }
      };
      visit(state);
      for (const d of dtypes) expect(d).toBe(dtype);
    }
  });

  it(`converges on a toy linear regression${entry.transformOnly ? " (chained before Descent(0.1))" : ""}`, () => {
    const r = rng(7);
    const { model, loss } = linearRegression(r, randn([2, 3], { rng: r }), 32, [0.5, -0.5]);
    const first = loss(model).itemSync();
    const rule = entry.transformOnly
      ? OptimiserChain((entry.chained ?? entry.rule)(), Descent(0.1))
      : (entry.fast ?? entry.rule)();
    const state = setup(rule, model);
    const before = memory().liveTensors;
    for (let i = 0; i < 400; i++) {
      const [g] = gradient(loss, model);
      updateInPlace(state, model, g);
      for (const t of Object.values(g as Record<string, Tensor>)) t.dispose();
    }
    expect(memory().liveTensors).toBe(before);
    const last = loss(model).itemSync();
    expect(last).toBeLessThan(0.01 * first);
  });
});
