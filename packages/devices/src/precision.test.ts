import { tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { f16, f32, f64 } from "./precision.js";

describe("f32 / f64 / f16", () => {
  it("convert float tensors only and keep ties", async () => {
    const w = tensor([0.1, 0.2], [2], { dtype: "f64" });
    const i = tensor([1, 2], [2], { dtype: "i32" });
    const m = f32({ a: w, b: w, i, s: 0.1, arr: new Float64Array([0.1]) });
    expect(m.a.dtype).toBe("f32");
    expect(m.a).toBe(m.b);
    expect(m.i).toBe(i);
    expect(m.s).toBe(0.1);
    expect(m.arr).toBeInstanceOf(Float32Array);
    expect(Array.from(await m.a.data())).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    const back = f64(m);
    expect(back.a.dtype).toBe("f64");
    expect(back.arr).toBeInstanceOf(Float64Array);
  });

  it("return a tensor that already has the dtype as the same object", () => {
    const x = tensor([1], [1]);
    expect(f32(x)).toBe(x);
  });

  it("f16 fails clearly where the device cannot store f16 (the CPU backend)", () => {
    expect(() => f16(tensor([1], [1]))).toThrow(/f16/);
  });
});
