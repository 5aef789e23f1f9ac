import { describe, expect, it } from "vitest";
import { allocate, dtypeCode, dtypeFromCode, dtypeOf, isCollectiveArray } from "./buffers.js";
import { DistributedArgumentError } from "./errors.js";

describe("buffers", () => {
  it("maps typed arrays to kernels' dtype names and stable codes", () => {
    expect(dtypeOf(new Float32Array(1))).toBe("f32");
    expect(dtypeOf(new Float64Array(1))).toBe("f64");
    expect(dtypeOf(new Int32Array(1))).toBe("i32");
    expect(dtypeOf(new Uint32Array(1))).toBe("u32");
    expect(dtypeOf(new Uint8Array(1))).toBe("u8");
    for (const d of ["f32", "f64", "i32", "u32", "u8"] as const) {
      expect(dtypeFromCode(dtypeCode(d))).toBe(d);
      expect(dtypeOf(allocate(d, 2))).toBe(d);
    }
  });

  it("refuses buffers MPI would misread, saying what to pass", () => {
    expect(() => dtypeOf(new BigInt64Array(1))).toThrow(DistributedArgumentError);
    expect(() => dtypeOf([1, 2])).toThrow(/Float32Array/);
    expect(isCollectiveArray(new DataView(new ArrayBuffer(4)))).toBe(false);
    expect(isCollectiveArray(new Int16Array(1))).toBe(false);
  });
});
