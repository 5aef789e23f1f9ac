import { describe, expect, it } from "vitest";
import { DisposedTensorError, DTypeError, ShapeError } from "./errors.js";
import { ones, tensor, zeros } from "./ops/creation.js";
import { exp } from "./ops/unary.js";
import { isTensor } from "./tensor.js";

describe("Tensor", () => {
  it("stores column-major data with Julia shapes", async () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    expect(x.shape).toEqual([3, 2]);
    expect(x.dtype).toBe("f32");
    expect(x.size).toBe(6);
    expect(x.rank).toBe(2);
    expect(String(x.device)).toBe("cpu");
    expect(Array.from(await x.data())).toEqual([1, 2, 3, 4, 5, 6]);
    // a[i][j] is element (i, j): the first index is outermost
    expect(await x.array()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    x.dispose();
  });

  it("builds from nested arrays with the first index outermost", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(x.shape).toEqual([3, 2]);
    expect(Array.from(x.dataSync())).toEqual([1, 3, 5, 2, 4, 6]);
    expect(x.arraySync()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
  });

  it("picks the dtype from typed arrays and booleans", () => {
    expect(tensor(new Float64Array([1, 2])).dtype).toBe("f64");
    expect(tensor(new Int32Array([1, 2])).dtype).toBe("i32");
    const b = tensor([true, false, true]);
    expect(b.dtype).toBe("bool");
    expect(b.arraySync()).toEqual([true, false, true]);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(ShapeError);
  });

  it("refuses f16 on the CPU with a clear error", () => {
    expect(() => zeros([2], { dtype: "f16" })).toThrow(DTypeError);
    expect(() => zeros([2], { dtype: "f16" })).toThrow(/f16 is not supported on cpu/);
  });

  it("gives a 0-d tensor's value with item()", async () => {
    const s = tensor(2.5);
    expect(s.shape).toEqual([]);
    expect(await s.item()).toBe(2.5);
    expect(s.itemSync()).toBe(2.5);
    expect(() => ones([2]).itemSync()).toThrow(/exactly one/);
  });

  it("throws DisposedTensorError naming the op after dispose()", async () => {
    const x = ones([2]);
    expect(x.isDisposed).toBe(false);
    x.dispose();
    x.dispose(); // idempotent
    expect(x.isDisposed).toBe(true);
    expect(() => x.dataSync()).toThrow(DisposedTensorError);
    expect(() => x.dataSync()).toThrow(/dataSync/);
    expect(() => exp(x)).toThrow(/exp: the 2-element Tensor\{f32\} on cpu was already disposed/);
    await expect(x.data()).rejects.toThrow(/data/);
    expect(String(x)).toBe("2-element Tensor{f32} on cpu (disposed)");
  });

  it("prints like Julia", () => {
    const m = tensor([1, 2, 3, 4.5, 5, 6], [3, 2]);
    expect(String(m)).toBe("3×2 Tensor{f32} on cpu:\n 1.0  4.5\n 2.0  5.0\n 3.0  6.0");
    expect(String(tensor([0.1, -2], [2]))).toBe("2-element Tensor{f32} on cpu:\n  0.1\n -2.0");
    expect(String(tensor(3))).toBe("0-dimensional Tensor{f32} on cpu:\n 3.0");
    expect(String(tensor([true, false]))).toBe("2-element Tensor{bool} on cpu:\n 1\n 0");
    const t3 = tensor([1, 2, 3, 4], [1, 2, 2], { dtype: "i32" });
    expect(String(t3)).toBe("1×2×2 Tensor{i32} on cpu:\n[:, :, 1] =\n 1  2\n\n[:, :, 2] =\n 3  4");
    const inspect = (m as unknown as Record<symbol, () => string>)[Symbol.for("nodejs.util.inspect.custom")]!;
    expect(inspect.call(m)).toBe(String(m));
  });

  it("elides long dims when printing", () => {
    const big = zeros([100, 100]);
    const lines = String(big).split("\n");
    expect(lines[0]).toBe("100×100 Tensor{f32} on cpu:");
    expect(lines.length).toBe(1 + 13);
    expect(String(big)).toContain("⋮");
    expect(String(big)).toContain("⋯");
  });

  it("is a functors leaf through Symbol.for('flux.leaf')", () => {
    const x = zeros([1]);
    expect((x as unknown as Record<symbol, unknown>)[Symbol.for("flux.leaf")]).toBe(true);
    expect(Object.keys(x)).not.toContain(Symbol.for("flux.leaf"));
    expect(isTensor(x)).toBe(true);
    expect(isTensor({ shape: [1] })).toBe(false);
  });
});
