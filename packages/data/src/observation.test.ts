import { tensor, zeros } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { DataArgumentError, NotADataContainerError, ObsCountMismatchError } from "./errors.js";
import { getobs, numobs } from "./observation.js";
import { obsview } from "./obsview.js";

// X2 = reshape(1:10, 2, 5) in Julia: columns [1,2], [3,4], ...
const X2 = () =>
  tensor(
    Float32Array.from({ length: 10 }, (_, i) => i + 1),
    [2, 5],
  );

describe("numobs", () => {
  it("counts the last dim of tensors, elements of typed and JS arrays", () => {
    expect(numobs(zeros([3, 4, 7]))).toBe(7);
    expect(numobs(zeros([5]))).toBe(5);
    expect(numobs(new Int32Array(9))).toBe(9);
    expect(numobs(["a", "b", "c"])).toBe(3);
  });

  it("agrees across tuples and objects, and names the parts that disagree", () => {
    expect(numobs([X2(), new Int32Array(5)])).toBe(5);
    expect(numobs({ x: X2(), y: { z: ["a", "b", "c", "d", "e"] } })).toBe(5);
    expect(() => numobs({ x: X2(), y: new Int32Array(4) })).toThrow(ObsCountMismatchError);
    expect(() => numobs({ x: X2(), y: new Int32Array(4) })).toThrow(/x: 5, y: 4/);
  });

  it("uses a custom container's numobs()", () => {
    expect(numobs({ numobs: () => 12, getobs: (i: number) => i })).toBe(12);
  });

  it("rejects non-containers and 0-d tensors with clear errors", () => {
    expect(() => numobs(42)).toThrow(NotADataContainerError);
    expect(() => numobs({ a: 1 })).toThrow(/not a data container/);
    expect(() => numobs(tensor(3))).toThrow(/0-d tensor/);
  });
});

describe("getobs", () => {
  it("drops the obs dim for one index and keeps it for a list (tensors)", () => {
    const x = X2();
    const one = getobs(x, 1) as ReturnType<typeof X2>;
    expect(one.shape).toEqual([2]);
    expect(one.arraySync()).toEqual([3, 4]);
    const some = getobs(x, [4, 0]) as ReturnType<typeof X2>;
    expect(some.shape).toEqual([2, 2]);
    expect(Array.from(some.dataSync())).toEqual([9, 10, 1, 2]);
  });

  it("slices typed arrays into the same type and JS arrays into arrays", () => {
    const y = Int32Array.of(10, 20, 30, 40);
    expect(getobs(y, 2)).toBe(30);
    const b = getobs(y, [3, 1]);
    expect(b).toBeInstanceOf(Int32Array);
    expect(Array.from(b as Int32Array)).toEqual([40, 20]);
    expect(getobs(["a", "b", "c"], [2, 0])).toEqual(["c", "a"]);
  });

  it("slices tuples and objects part by part", () => {
    const out = getobs({ x: X2(), y: Int32Array.of(1, 2, 3, 4, 5) }, [1, 2]) as {
      x: ReturnType<typeof X2>;
      y: Int32Array;
    };
    expect(out.x.arraySync()).toEqual([
      [3, 5],
      [4, 6],
    ]);
    expect(Array.from(out.y)).toEqual([2, 3]);
    const [a, b] = getobs([X2(), ["p", "q", "r", "s", "t"]], 4) as [ReturnType<typeof X2>, string];
    expect(a.arraySync()).toEqual([9, 10]);
    expect(b).toBe("t");
  });

  it("returns the data itself without an index", () => {
    const x = X2();
    expect(getobs(x)).toBe(x);
  });

  it("calls getobs(i) of custom containers, and getobsBatch when present", () => {
    const c = { numobs: () => 4, getobs: (i: number) => i * i };
    expect(getobs(c, 3)).toBe(9);
    expect(getobs(c, [1, 2])).toEqual([1, 4]);
    const fast = { ...c, getobsBatch: (idx: readonly number[]) => `batch ${idx.join(",")}` };
    expect(getobs(fast, [1, 2])).toBe("batch 1,2");
  });

  it("rejects out-of-range and non-integer indices (0-based)", () => {
    expect(() => getobs(new Float32Array(3), 3)).toThrow(DataArgumentError);
    expect(() => getobs(new Float32Array(3), 3)).toThrow(/0\.\.2/);
    expect(() => getobs(X2(), [0, -1])).toThrow(/-1/);
    expect(() => getobs(["a"], 0.5)).toThrow(/0-based integers/);
  });
});

describe("obsview", () => {
  it("is a lazy container whose nested views compose indices", () => {
    const y = Int32Array.of(0, 10, 20, 30, 40, 50);
    const v = obsview(y, [5, 3, 1]);
    expect(numobs(v)).toBe(3);
    expect(getobs(v, 0)).toBe(50);
    const w = obsview(v, [2, 0]);
    expect(w.data).toBe(y);
    expect(w.indices).toEqual([1, 5]);
    expect(Array.from(getobs(w, [0, 1]) as Int32Array)).toEqual([10, 50]);
    expect(() => obsview(y, [6])).toThrow(/out of range/);
  });
});
