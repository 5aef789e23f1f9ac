import { describe, expect, it } from "vitest";
import { DistributedArgumentError } from "./errors.js";
import { checkAverage, checkOp, combineInto, combinePair, finishAverage, wireOp } from "./ops.js";

describe("ops", () => {
  it("accepts the four Flux ops and rejects others with a named error", () => {
    for (const op of ["sum", "avg", "max", "min"]) expect(checkOp(op)).toBe(op);
    expect(() => checkOp("prod")).toThrow(DistributedArgumentError);
    expect(() => checkOp("prod")).toThrow(/\[@flux\/distributed\] unknown reduction op prod/);
  });

  it("sends avg as sum (divided afterwards, as Flux does)", () => {
    expect(wireOp("avg")).toBe("sum");
    expect(wireOp("max")).toBe("max");
  });

  it("combines elementwise; max/min propagate NaN like a NaN-aware reduction", () => {
    const acc = new Float32Array([1, 5, Number.NaN, 2]);
    combineInto(acc, new Float32Array([3, 4, 1, Number.NaN]), "max");
    expect(Array.from(acc)).toEqual([3, 5, Number.NaN, Number.NaN]);
    const m = new Int32Array([1, -5]);
    combineInto(m, new Int32Array([0, 7]), "min");
    expect(Array.from(m)).toEqual([0, -5]);
  });

  it("combines two sources into a third (the first step of a reduction), NaN-aware", () => {
    const out = new Float64Array(3);
    combinePair(out, new Float64Array([1, Number.NaN, 2]), new Float64Array([3, 0, Number.NaN]), "min");
    expect(Array.from(out)).toEqual([1, Number.NaN, Number.NaN]);
    combinePair(out, new Float64Array([1, 2, 3]), new Float64Array([10, 20, 30]), "sum");
    expect(Array.from(out)).toEqual([11, 22, 33]);
  });

  it("sums every element, whatever the length (the sum is unrolled by four)", () => {
    for (const n of [0, 1, 4, 9, 130]) {
      const a = Float64Array.from({ length: n }, (_, i) => i);
      const b = Float64Array.from({ length: n }, (_, i) => 1000 * i);
      const out = new Float64Array(n);
      combinePair(out, a, b, "sum");
      combineInto(out, a, "sum");
      expect(Array.from(out)).toEqual(Array.from({ length: n }, (_, i) => 1002 * i));
    }
  });

  it("finishes an average of floats", () => {
    const f = new Float64Array([3, -3]);
    finishAverage(f, 2);
    expect(Array.from(f)).toEqual([1.5, -1.5]);
    const g = new Float64Array([3, 1, 0.7]);
    finishAverage(g, 3); // not a power of two: divided, bit for bit as Flux's sum ./ n
    expect(Array.from(g)).toEqual([1, 1 / 3, 0.7 / 3]);
    const h = new Float32Array([1, 3]);
    finishAverage(h, 4);
    expect(Array.from(h)).toEqual([0.25, 0.75]);
  });

  it("refuses avg on integer dtypes with a named error, and allows it on floats", () => {
    for (const d of ["i32", "u32", "u8"] as const) {
      expect(() => checkAverage("avg", d, "allreduce")).toThrow(DistributedArgumentError);
      expect(() => checkAverage("avg", d, "allreduce")).toThrow(
        /would truncate the average \(1.5 would become 1\)/,
      );
      expect(() => checkAverage("sum", d, "allreduce")).not.toThrow();
    }
    for (const d of ["f32", "f64"] as const) expect(() => checkAverage("avg", d, "allreduce")).not.toThrow();
  });
});
