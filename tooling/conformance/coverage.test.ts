// Every op declared in packages/kernels/src/opNames.ts is complete: it has its public function, its CPU
// forward and gradient (or sits on the declared zero-gradient list), its WGSL case(s) and its conformance
// cases. Adding an op to a declaration table without the rest fails here with the missing piece named.
// (The CPU kernels' tables are typed by the op names, so `tsc` already rejects a missing CPU function; this
// checks the numbers, the WGSL switches and the case lists, which no type can.) CONTRIBUTING.md, "Adding an
// op", is the recipe.
import * as k from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { ARITHMETIC_OP_SPECS } from "../../packages/kernels/src/opNames.js";
import { SHADERS } from "../../packages/kernels/src/webgpu/generated/shaders.js";
import { GRAD_CASES } from "./gradCases.js";
import { VALUE_CASES } from "./valueCases.js";

const valueNames = VALUE_CASES.map((c) => c.name);
const gradNames = GRAD_CASES.map((c) => c.name);

/** The source of one WGSL function (from its `fn` line to the next top-level `}`). */
function wgslFunction(source: string, name: string): string {
  const start = source.indexOf(`fn ${name}(`);
  if (start < 0) throw new Error(`no WGSL function ${name}`);
  const end = source.indexOf("\n}\n", start);
  return source.slice(start, end);
}

/** The op constants a WGSL text names in `case` selectors (`case BINARY_MIN, default:` included). */
function caseConstants(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(/case ([A-Z0-9_, ]+?)(?:, default)?:/g)) {
    for (const c of m[1]!.split(",")) out.add(c.trim());
  }
  return out;
}

const constant = (prefix: string, op: string) => `${prefix}_${op.toUpperCase()}`;

/** f64 central difference of sum(f(x)) at each point, against the tape's gradient (CPU, f64). */
function gradientError(f: (x: k.Tensor) => k.Tensor, xs: readonly number[]): number {
  const x = k.tensor([...xs], [xs.length], { dtype: "f64" });
  const [g] = k.gradient((t: k.Tensor) => k.sum(f(t)), x) as [k.Tensor];
  const got = g.dataSync();
  const h = 1e-6;
  let worst = 0;
  xs.forEach((v, i) => {
    const at = (d: number) => f(k.tensor([v + d], [1], { dtype: "f64" })).dataSync()[0] as number;
    const fd = (at(h) - at(-h)) / (2 * h);
    worst = Math.max(worst, Math.abs((got[i] as number) - fd) / Math.max(1, Math.abs(fd)));
  });
  return worst;
}

const DOMAIN_POINTS: Record<k.OpDomain, number[]> = {
  real: [-1.3, -0.4, 0.3, 1.7],
  positive: [0.6, 1.1, 2.9],
  awayFromZero: [-1.4, -0.3, 0.4, 1.6],
};

describe("every declared unary op is complete", () => {
  const unaryF = SHADERS.unary.source;
  const forward = caseConstants(wgslFunction(unaryF, "unary_float"));
  const backward = caseConstants(wgslFunction(unaryF, "unary_grad_float"));
  for (const op of k.UNARY_OPS) {
    const spec = k.UNARY_OP_SPECS[op];
    it(op, () => {
      const f = (k as unknown as Record<string, unknown>)[op];
      expect(typeof f, `@flux/kernels exports a function ${op}`).toBe("function");
      const fn = f as (x: k.Tensor) => k.Tensor;
      // CPU forward: the declared example, in f64.
      const { x, y } = spec.example;
      const got = Array.from(fn(k.tensor([...x], [x.length], { dtype: "f64" })).dataSync() as Float64Array);
      for (const [i, v] of got.entries()) expect(v, `${op}(${x[i]}) on the CPU`).toBeCloseTo(y[i]!, 12);
      // WGSL forward case.
      expect(forward.has(constant("UNARY", op)), `case UNARY_${op.toUpperCase()} in unary_float`).toBe(true);
      // The conformance value case (from the example) runs on every backend.
      expect(valueNames, "a conformance value case").toContain(op);
      if (spec.zeroGradient) {
        // CPU gradient zero; no WGSL case (the default is 0); no gradient check.
        expect(gradientError(fn, [0.3, 1.7]), `${op}'s CPU gradient is zero`).toBe(0);
        expect(
          backward.has(constant("UNARY", op)),
          `no case UNARY_${op.toUpperCase()} in unary_grad_float`,
        ).toBe(false);
        expect(gradNames).not.toContain(op);
      } else {
        // CPU gradient against finite differences, in the declared domain.
        expect(gradientError(fn, DOMAIN_POINTS[spec.domain ?? "real"]), `${op}'s CPU gradient`).toBeLessThan(
          1e-6,
        );
        expect(
          backward.has(constant("UNARY", op)),
          `case UNARY_${op.toUpperCase()} in unary_grad_float`,
        ).toBe(true);
        expect(gradNames, "a conformance gradient case").toContain(op);
      }
    });
  }
  it("the WGSL switches name no undeclared op", () => {
    const declared = new Set(k.UNARY_OPS.map((op) => constant("UNARY", op)));
    expect([...forward, ...backward].filter((c) => !declared.has(c))).toEqual([]);
  });
});

describe("every declared binary, comparison and reduction op is complete", () => {
  const arithmetic = caseConstants(SHADERS.binary.source);
  const comparison = caseConstants(SHADERS.compare.source);
  for (const op of k.ARITHMETIC_OPS) {
    it(`arithmetic ${op}`, () => {
      const fn = ARITHMETIC_OP_SPECS[op].fn;
      expect(typeof (k as unknown as Record<string, unknown>)[fn], `@flux/kernels exports ${fn}`).toBe(
        "function",
      );
      expect(arithmetic.has(constant("BINARY", op)), `case BINARY_${op.toUpperCase()} in binary.wgsl`).toBe(
        true,
      );
      expect(valueNames.some((n) => n === fn || n.startsWith(`${fn} `))).toBe(true);
      expect(gradNames).toContain(`${fn} (broadcast)`);
    });
  }
  for (const op of k.COMPARISON_OPS) {
    it(`comparison ${op}`, () => {
      expect(typeof (k as unknown as Record<string, unknown>)[op]).toBe("function");
      expect(
        comparison.has(constant("COMPARE", op)),
        `case COMPARE_${op.toUpperCase()} in compare.wgsl`,
      ).toBe(true);
      expect(valueNames).toContain(op);
    });
  }
  for (const op of k.REDUCE_OPS) {
    it(`reduction ${op}`, () => {
      for (const shader of ["reduce", "reduce_small"] as const) {
        const cases = caseConstants(SHADERS[shader].source);
        expect(cases.has(constant("REDUCE", op)), `case REDUCE_${op.toUpperCase()} in ${shader}.wgsl`).toBe(
          true,
        );
      }
      expect(valueNames.some((n) => n === op || n.startsWith(`${op} `))).toBe(true);
      expect(gradNames).toContain(op);
    });
  }
});
