// A tree that cannot be rebuilt after its tensors were moved or cast (a cycle, a disposed tensor met part
// way): the copies have no owner, so they must be freed before the error, not leaked (device memory on a GPU).
import { FunctorCycleError } from "@flux/functors";
import { DisposedTensorError, memory, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { cpuDevice } from "./cpuDevice.js";
import { f32, f64 } from "./precision.js";

describe("a move that fails after its tensors were converted", () => {
  it("frees the converted tensors of a cyclic tree and keeps the source", async () => {
    const x = tensor([1, 2], [2], { dtype: "f32" });
    const tree: Record<string, unknown> = { x, y: { z: tensor([3], [1], { dtype: "f32" }) } };
    (tree.y as Record<string, unknown>).back = tree;
    const before = memory().liveTensors;
    await expect(cpuDevice("f64")(tree)).rejects.toThrow(FunctorCycleError);
    expect(memory().liveTensors).toBe(before);
    expect(Array.from(x.dataSync())).toEqual([1, 2]);
  });

  it("f64 / f32 free the casts they made when the walk fails (a cycle, a disposed tensor)", () => {
    const cyclic: Record<string, unknown> = { a: tensor([1], [1]), b: { c: tensor([2], [1]) } };
    (cyclic.b as Record<string, unknown>).back = cyclic;
    const freed = tensor([3], [1]);
    freed.dispose();
    const withFreed = { a: tensor([1], [1]), b: tensor([2], [1]), c: freed };
    const cyclic64: Record<string, unknown> = { a: tensor([1], [1], { dtype: "f64" }) };
    cyclic64.back = { again: cyclic64, b: tensor([2], [1], { dtype: "f64" }) };
    const before = memory().liveTensors;
    expect(() => f64(cyclic)).toThrow(FunctorCycleError);
    expect(() => f32(cyclic64)).toThrow(FunctorCycleError);
    expect(() => f64(withFreed)).toThrow(DisposedTensorError);
    expect(memory().liveTensors).toBe(before);
  });
});
