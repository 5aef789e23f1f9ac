import { inspect } from "node:util";
import { memory, rng, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { DataLoader, isDataLoader } from "./dataLoader.js";
import { DataArgumentError, ObsCountMismatchError } from "./errors.js";
import { mapobs } from "./mapobs.js";

// MLUtils' test/dataloader.jl fixtures: X2 = reshape(1:10, 2, 5), Y2 = 1:5.
const X2 = () =>
  tensor(
    Float32Array.from({ length: 10 }, (_, i) => i + 1),
    [2, 5],
  );
const Y2 = () => Int32Array.of(1, 2, 3, 4, 5);
const cols = (t: unknown) => (t as Tensor).arraySync();
const X2cols = (from: number, to: number) => {
  const rows = [[], []] as number[][];
  for (let j = from; j < to; j++) {
    rows[0]!.push(2 * j + 1);
    rows[1]!.push(2 * j + 2);
  }
  return rows;
};

describe("DataLoader batches (MLUtils test/dataloader.jl)", () => {
  it("cuts batches along the last dim and keeps the short last one", () => {
    const d = DataLoader(X2(), { batchsize: 2 });
    const batches = [...d];
    expect(d.length).toBe(3);
    expect(batches.length).toBe(3);
    expect(cols(batches[0])).toEqual(X2cols(0, 2));
    expect(cols(batches[1])).toEqual(X2cols(2, 4));
    expect(cols(batches[2])).toEqual(X2cols(4, 5));
  });

  it("drops the short last batch with partial: false", () => {
    const d = DataLoader(X2(), { batchsize: 2, partial: false });
    const batches = [...d];
    expect(d.length).toBe(2);
    expect(batches.length).toBe(2);
    expect(cols(batches[1])).toEqual(X2cols(2, 4));
  });

  it("yields tuples for a tuple of containers", () => {
    const batches = [...DataLoader([X2(), Y2()], { batchsize: 2 })] as [Tensor, Int32Array][];
    expect(batches.length).toBe(3);
    expect(cols(batches[0]![0])).toEqual(X2cols(0, 2));
    expect(Array.from(batches[0]![1])).toEqual([1, 2]);
    expect(Array.from(batches[2]![1])).toEqual([5]);
    const single = [...DataLoader([X2()], { batchsize: 2, partial: false })] as Tensor[][];
    expect(single.length).toBe(2);
    expect(single[0]!.length).toBe(1);
  });

  it("yields objects for an object of containers (named tuples)", () => {
    const batches = [...DataLoader({ x: X2(), y: Y2() }, { batchsize: 2 })] as { x: Tensor; y: Int32Array }[];
    expect(cols(batches[1]!.x)).toEqual(X2cols(2, 4));
    expect(Array.from(batches[1]!.y)).toEqual([3, 4]);
  });

  it("defaults to batchsize 1, which keeps the observation dim", () => {
    const d = DataLoader(X2());
    expect(d.length).toBe(5);
    const first = [...d][0] as Tensor;
    expect(first.shape).toEqual([2, 1]);
  });

  it("iterates single observations (dim dropped) for a negative batchsize", () => {
    const d = DataLoader(X2(), { batchsize: -1 });
    expect(d.length).toBe(5);
    const obs = [...d] as Tensor[];
    expect(obs[3]!.shape).toEqual([2]);
    expect(obs[3]!.arraySync()).toEqual([7, 8]);
    expect([...DataLoader(Y2(), { batchsize: -1 })]).toEqual([1, 2, 3, 4, 5]);
  });

  it("is reproducible from rng(seed) and reshuffles every epoch", () => {
    const y = Int32Array.from({ length: 20 }, (_, i) => i);
    const epochs = (seed: number) => {
      const d = DataLoader(y, { batchsize: 4, shuffle: true, rng: rng(seed) });
      return [0, 1, 2].map(() => [...d].flatMap((b) => Array.from(b as Int32Array)));
    };
    const a = epochs(1);
    expect(epochs(1)).toEqual(a);
    expect(a[0]).not.toEqual(a[1]);
    for (const e of a) expect([...e].sort((u, v) => u - v)).toEqual(Array.from(y));
    expect(epochs(2)[0]).not.toEqual(a[0]);
  });

  it("keeps x and y aligned under shuffle", () => {
    const d = DataLoader({ x: X2(), y: Y2() }, { batchsize: 2, shuffle: true, rng: rng(3) });
    for (const b of d as Iterable<{ x: Tensor; y: Int32Array }>) {
      const xs = b.x.arraySync() as number[][];
      Array.from(b.y).forEach((label, j) => {
        expect(xs[1]![j]).toBe(2 * label);
      });
    }
  });

  it("collates: null slices, false lists observations, true stacks, a function gets the list", () => {
    const X = tensor(new Float32Array(20).fill(1), [2, 10]);
    const asList = [...DataLoader(X, { batchsize: 2, collate: false })];
    expect(asList.length).toBe(5);
    expect((asList[0] as Tensor[]).length).toBe(2);
    expect((asList[0] as Tensor[])[0]!.shape).toEqual([2]);
    const stacked = [...DataLoader(X, { batchsize: 2, collate: true })] as Tensor[];
    expect(stacked[0]!.shape).toEqual([2, 2]);
    const joined = DataLoader(["a", "b", "c", "d"], { batchsize: 2, collate: (b) => b.join("") });
    expect([...joined][0]).toBe("ab");
    const objs = [...DataLoader({ x: X2(), y: Y2() }, { batchsize: 2, collate: true })] as {
      x: Tensor;
      y: number[];
    }[];
    expect(objs[0]!.x.shape).toEqual([2, 2]);
    expect(objs[0]!.y).toEqual([1, 2]);
  });

  it("works over mapobs containers (per observation and batched)", () => {
    const d = DataLoader(
      mapobs((v) => (v as number) * 10, Y2()),
      { batchsize: 2 },
    );
    expect([...d]).toEqual([[10, 20], [30, 40], [50]]);
    const batched = DataLoader(
      mapobs((b) => Array.from(b as Int32Array, (v) => -v), Y2(), { batched: true }),
      { batchsize: 3 },
    );
    expect([...batched]).toEqual([
      [-1, -2, -3],
      [-4, -5],
    ]);
  });

  it("is async-iterable, with and without parallel preparation, in the same order", async () => {
    const y = Int32Array.from({ length: 11 }, (_, i) => i);
    for (const parallel of [false, true]) {
      const got: number[][] = [];
      for await (const b of DataLoader(y, { batchsize: 3, parallel })) got.push(Array.from(b as Int32Array));
      expect(got).toEqual([
        [0, 1, 2],
        [3, 4, 5],
        [6, 7, 8],
        [9, 10],
      ]);
    }
  });

  it("buffer: true frees each batch when the next is requested, never the dataset", async () => {
    const X = X2();
    const before = memory().liveTensors;
    const seen: Tensor[] = [];
    for (const b of DataLoader(X, { batchsize: 2, buffer: true })) {
      seen.push(b as Tensor);
      if (seen.length > 1) expect(seen.at(-2)!.isDisposed).toBe(true);
    }
    expect(seen.every((t) => t.isDisposed)).toBe(true);
    expect(X.isDisposed).toBe(false);
    expect(memory().liveTensors).toBe(before);
    for await (const _ of DataLoader(X, { batchsize: 2, buffer: true, parallel: true })) void _;
    expect(memory().liveTensors).toBe(before);
  });

  it("prints like MLUtils", () => {
    const X = tensor(new Float32Array(784 * 300), [784, 300]);
    expect(String(DataLoader(X, { batchsize: 128 }))).toBe(
      "DataLoader(::Tensor{f32} 784×300, batchsize=128)",
    );
    expect(String(DataLoader({ x: X2(), y: Y2() }, { shuffle: true, partial: false }))).toBe(
      "DataLoader(::{x: Tensor{f32} 2×5, y: Int32Array 5}, shuffle=true, partial=false)",
    );
    expect(inspect(DataLoader([X, new Uint8Array(300)], { batchsize: 128, rng: rng(1) }))).toBe(
      "3-element DataLoader(::Tuple{Tensor{f32} 784×300, Uint8Array 300}, batchsize=128, rng=Rng)\n" +
        "  with first element:\n  (784×128 Tensor{f32}, 128-element Uint8Array,)",
    );
  });

  it("works with and without new, and validates its arguments", () => {
    expect(isDataLoader(new DataLoader(Y2()))).toBe(true);
    expect(DataLoader(Y2()) instanceof DataLoader).toBe(true);
    expect((DataLoader(Y2()) as unknown as Record<symbol, unknown>)[Symbol.for("flux.dataloader")]).toBe(
      true,
    );
    expect(() => DataLoader(Y2(), { batchsize: 0 })).toThrow(DataArgumentError);
    expect(() => DataLoader({ x: X2(), y: new Int32Array(3) })).toThrow(ObsCountMismatchError);
  });
});
