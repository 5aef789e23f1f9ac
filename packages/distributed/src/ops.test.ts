import { describe, expect, it } from "vitest";
import { DistributedArgumentError } from "./errors.js";
import { checkOp, combineInto, finishAverage, wireOp } from "./ops.js";

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

  it("finishes an average; integer buffers truncate toward zero", () => {
    const f = new Float64Array([3, -3]);
    finishAverage(f, 2);
    expect(Array.from(f)).toEqual([1.5, -1.5]);
    const i = new Int32Array([3, -3]);
    finishAverage(i, 2);
    expect(Array.from(i)).toEqual([1, -1]);
  });
});
