import { tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import {
  AccumGrad,
  AdaDelta,
  Adam,
  AdamW,
  ClipGrad,
  ClipNorm,
  Descent,
  Lion,
  Momentum,
  NonFiniteGradientError,
  OptimiserChain,
  RMSProp,
  RuleArgumentError,
  WeightDecay,
  applyRule,
  isRule,
} from "./index.js";

describe("rule constructors", () => {
  it("take Optimisers.jl's defaults, positional arguments, or an options object", () => {
    expect({ ...Adam() }).toEqual({ eta: 0.001, beta: [0.9, 0.999], epsilon: 1e-8 });
    expect({ ...Adam(0.01) }).toEqual({ eta: 0.01, beta: [0.9, 0.999], epsilon: 1e-8 });
    expect({ ...Adam(0.01, [0.8, 0.9]) }).toEqual({ eta: 0.01, beta: [0.8, 0.9], epsilon: 1e-8 });
    expect({ ...Adam({ epsilon: 1e-6 }) }).toEqual({ eta: 0.001, beta: [0.9, 0.999], epsilon: 1e-6 });
    expect(RMSProp(0.01, { centred: true }).centred).toBe(true);
    expect(AdamW().couple).toBe(true);
    expect(Descent().eta).toBe(0.1);
    expect(Momentum.defaults).toEqual({ eta: 0.01, rho: 0.9 });
  });

  it("reject bad hyper-parameters with RuleArgumentError", () => {
    expect(() => Adam(-1)).toThrow(RuleArgumentError);
    expect(() => Adam({ beta: [0.9] as never })).toThrow(/beta must be an array of 2 numbers/);
    expect(() => Adam({ etaa: 1 } as never)).toThrow(/unknown option "etaa"/);
    expect(() => Descent(0.1, 0.2)).toThrow(/at most 1 positional/);
    expect(() => AccumGrad()).toThrow(/n is required/);
    expect(() => AccumGrad(1.5)).toThrow(/integer >= 1/);
    expect(() => OptimiserChain(Adam(), 3 as never)).toThrow(/argument 1 is not a rule/);
  });

  it("check every hyper-parameter's range, naming the rule, the field and the range", () => {
    const refused = (make: () => unknown, rule: string, field: string, range: RegExp) => {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RuleArgumentError);
      const e = error as RuleArgumentError;
      expect([e.code, e.rule, e.field]).toEqual(["ERR_RULE_ARGUMENT", rule, field]);
      expect(e.message).toMatch(range);
    };
    refused(() => Adam({ beta: [2, 2] }), "Adam", "beta[0]", /Adam: beta\[0\] must be .* in \[0, 1\), got 2/);
    refused(() => Adam(0.001, [0.9, 1]), "Adam", "beta[1]", /in \[0, 1\), got 1/);
    refused(
      () => Adam({ eta: Number.POSITIVE_INFINITY }),
      "Adam",
      "eta",
      /learning rate: a finite number >= 0/,
    );
    refused(() => Adam({ epsilon: 0 }), "Adam", "epsilon", /epsilon must be a finite number > 0, got 0/);
    refused(() => Descent(Number.NaN), "Descent", "eta", /got NaN/);
    refused(() => Momentum(0.1, 1.5), "Momentum", "rho", /in \[0, 1\]/);
    refused(() => RMSProp(0.1, -0.1), "RMSProp", "rho", /in \[0, 1\)/);
    refused(() => AdamW({ lambda: -1 }), "AdamW", "lambda", />= 0/);
    refused(() => WeightDecay(Number.NEGATIVE_INFINITY), "WeightDecay", "lambda", /finite/);
    refused(() => ClipGrad(0), "ClipGrad", "delta", /> 0/);
    refused(() => ClipNorm(-1), "ClipNorm", "omega", /> 0/);
    refused(() => ClipNorm(1, Number.NaN), "ClipNorm", "p", /±Infinity allowed/);
    refused(() => Lion({ beta: [0.9, -1] }), "Lion", "beta[1]", /in \[0, 1\)/);
    refused(() => AdaDelta(2), "AdaDelta", "rho", /in \[0, 1\]/);
    refused(() => AccumGrad(0), "AccumGrad", "n", /an integer >= 1/);
    refused(() => Adam().adjust({ eta: Number.POSITIVE_INFINITY }), "Adam", "eta", /finite/);
    // The edges that are valid stay valid.
    expect(ClipNorm(1, Number.POSITIVE_INFINITY).p).toBe(Number.POSITIVE_INFINITY);
    expect(Adam({ beta: [0, 0] }).beta).toEqual([0, 0]);
    expect(Momentum(0, 1).rho).toBe(1);
    expect(Descent(0).eta).toBe(0);
  });

  it("are frozen records that print like Optimisers.jl", () => {
    const r = OptimiserChain(ClipNorm(1), Adam(0.01));
    expect(isRule(r)).toBe(true);
    expect(Object.isFrozen(r)).toBe(true);
    expect(String(r)).toBe(
      "OptimiserChain(ClipNorm(omega=1, p=2, throw=true), Adam(eta=0.01, beta=[0.9, 0.999], epsilon=1e-8))",
    );
  });

  it("adjust returns a changed copy, ignores names a rule lacks, refuses RMSProp's centred", () => {
    const r = Adam();
    expect(r.adjust({ eta: 0.1 }).eta).toBe(0.1);
    expect(r.eta).toBe(0.001);
    const c = OptimiserChain(ClipNorm(), Adam()).adjust({ eta: 0.5, omega: 2 });
    expect((c.opts[0] as unknown as { omega: number }).omega).toBe(2);
    expect((c.opts[1] as unknown as { eta: number }).eta).toBe(0.5);
    expect(() => RMSProp().adjust({ centred: true })).toThrow(RuleArgumentError);
    expect(() => r.adjust({})).toThrow(RuleArgumentError);
    expect(() => r.adjust({ eta: -1 })).toThrow(/learning rate/);
  });
});

describe("applyRule", () => {
  it("is pure and returns the step (OptimiserChain clips before discounting, as in the Optimisers.jl docs)", () => {
    const x = tensor([0, 0, 0], [3], { dtype: "f64" });
    const g = tensor([0.3, 1, 7], [3], { dtype: "f64" });
    const [, step] = applyRule(OptimiserChain(ClipGrad(1), Descent(0.1)), [null, null], x, g);
    const got = Array.from(step!.dataSync());
    for (const [i, v] of [0.03, 0.1, 0.1].entries()) expect(got[i]).toBeCloseTo(v, 15);
    expect(Array.from(g.dataSync())).toEqual([0.3, 1, 7]);
  });

  it("ClipNorm throws on a non-finite norm unless throw: false", () => {
    const x = tensor([1, 2], [2]);
    const g = tensor([Number.POSITIVE_INFINITY, 1], [2]);
    expect(() => applyRule(ClipNorm(), null, x, g)).toThrow(NonFiniteGradientError);
    expect(() => applyRule(ClipNorm(10, 2, { throw: false }), null, x, g)).not.toThrow();
  });
});
