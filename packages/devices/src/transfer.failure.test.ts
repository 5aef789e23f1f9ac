// A tree that cannot be rebuilt after its tensors were moved (a cycle): the moved copies have no owner,
// so the move must free them before it throws, instead of leaking them (device memory on a GPU).
import { FunctorCycleError } from "@flux/functors";
import { memory, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { cpuDevice } from "./cpuDevice.js";

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
});
