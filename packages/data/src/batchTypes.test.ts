// The batch types are checked by the compiler (`tsc -p packages/data` includes this file): each
// expectTypeOf line fails the typecheck when a type drifts; the run-time lines check that the type describes
// what DataLoader really yields.
import { cpuDevice, DeviceIterator, gpu } from "@flux/devices";
import { isTensor, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { Batched, Obs, ObsBatch } from "./batchTypes.js";
import { DataLoader } from "./dataLoader.js";
import { obsview } from "./obsview.js";

const X = () =>
  tensor(
    new Float32Array(8).map((_, i) => i),
    [2, 4],
  );

describe("DataLoader batch types", () => {
  it("a tensor gives tensor batches", () => {
    const [b] = [...DataLoader(X(), { batchsize: 2 })];
    expectTypeOf(b!).toEqualTypeOf<Tensor>();
    expect(isTensor(b)).toBe(true);
  });

  it("a tuple gives tuples, an object objects", () => {
    const [t] = [...DataLoader([X(), X()], { batchsize: 2 })];
    expectTypeOf(t!).toEqualTypeOf<[Tensor, Tensor]>();
    expect(t!.map(isTensor)).toEqual([true, true]);
    const [o] = [...DataLoader({ x: X(), y: new Int32Array(4) }, { batchsize: 2 })];
    expectTypeOf(o!).toEqualTypeOf<{ x: Tensor; y: Int32Array<ArrayBuffer> }>();
    expect(o!.y).toBeInstanceOf(Int32Array);
  });

  it("follows collate and a negative batchsize", () => {
    const [listed] = [...DataLoader({ x: X() }, { batchsize: 2, collate: false })];
    expectTypeOf(listed!).toEqualTypeOf<{ x: Tensor }[]>();
    expect(listed).toHaveLength(2);
    const [joined] = [...DataLoader(["a", "b"], { batchsize: 2, collate: (b) => b.join("") })];
    expectTypeOf(joined!).toEqualTypeOf<string>();
    const [single] = [...DataLoader(new Float32Array(3), { batchsize: -1 })];
    expectTypeOf(single!).toEqualTypeOf<number>();
    expect(typeof single).toBe("number");
    const [stacked] = [...DataLoader(obsview({ x: X(), n: [1, 2, 3, 4] }), { batchsize: 2, collate: true })];
    expectTypeOf(stacked!).toEqualTypeOf<{ x: Tensor; n: number[] }>(); // a view batches like its data
    expect(stacked!.x.shape.at(-1)).toBe(2);
    expect(stacked!.n).toEqual([1, 2]);
  });

  it("gpu(loader) is the DeviceIterator of the batches, returned at once", () => {
    const it = gpu(DataLoader([X(), X()], { batchsize: 2 }));
    expectTypeOf(it).toEqualTypeOf<DeviceIterator<[Tensor, Tensor]>>();
    expect(it).toBeInstanceOf(DeviceIterator);
    expectTypeOf(cpuDevice()(DataLoader(X()))).toEqualTypeOf<DeviceIterator<Tensor>>();
  });

  it("names the pieces", () => {
    expectTypeOf<Obs<{ x: Tensor; y: Int32Array }>>().toEqualTypeOf<{ x: Tensor; y: number }>();
    expectTypeOf<ObsBatch<number[]>>().toEqualTypeOf<number[]>();
    expectTypeOf<ObsBatch<Tensor[]>>().toEqualTypeOf<Tensor[]>();
    expectTypeOf<Batched<{ x: Tensor; y: number }>>().toEqualTypeOf<{ x: Tensor; y: number[] }>();
  });
});
