import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { batches, seededRandom } from "./batches.mjs";
import { loadFashionMnist } from "./fashionMnist.mjs";
import { IdxFormatError, decodeIdx } from "./idx.mjs";

function idx(dims: number[], data: number[]): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head.set([0, 0, 8, dims.length]);
  const view = new DataView(head.buffer);
  for (const [i, d] of dims.entries()) view.setUint32(4 + 4 * i, d);
  return Uint8Array.from([...head, ...data]);
}

describe("IDX", () => {
  it("decodes plain and gzip-compressed files alike", () => {
    const raw = idx([2, 3], [1, 2, 3, 4, 5, 6]);
    for (const bytes of [raw, new Uint8Array(gzipSync(raw))]) {
      const { dims, data } = decodeIdx(bytes);
      expect(dims).toEqual([2, 3]);
      expect(Array.from(data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it("rejects a bad magic number and a truncated file", () => {
    expect(() => decodeIdx(Uint8Array.of(1, 2, 3, 4))).toThrow(IdxFormatError);
    expect(() => decodeIdx(idx([4], [1, 2]))).toThrow(/truncated/);
  });
});

describe("the shipped subset", () => {
  it("has 10,000 train and 1,000 test images of 784 pixels in [0, 1], labels 0-9", async () => {
    const dir = fileURLToPath(new URL("../data", import.meta.url));
    const { train, test } = await loadFashionMnist(dir);
    expect([train.n, test.n, train.features]).toEqual([10_000, 1_000, 784]);
    expect(train.x.length).toBe(784 * 10_000);
    expect(Math.max(...test.x.subarray(0, 784))).toBeLessThanOrEqual(1);
    expect(new Set(train.labels).size).toBe(10);
    // The dataset's first test image is an ankle boot (label 9), its first training image too.
    expect([test.labels[0], train.labels[0]]).toEqual([9, 9]);
  });
});

describe("batches", () => {
  const data = {
    x: Float32Array.from({ length: 10 }, (_, i) => i),
    labels: Uint8Array.from([0, 1, 2, 3, 4]),
    features: 2,
    n: 5,
  };

  it("keeps columns whole and the short last batch", () => {
    const out = [...batches(data, 2)];
    expect(out.map((b) => b.n)).toEqual([2, 2, 1]);
    expect(Array.from(out[2]!.x)).toEqual([8, 9]);
    expect(Array.from(out[0]!.labels)).toEqual([0, 1]);
  });

  it("shuffles as a permutation that repeats for a seed", () => {
    const order = (seed: number) =>
      [...batches(data, 5, { shuffle: true, random: seededRandom(seed) })][0]!.labels;
    expect([...order(1)].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(order(1))).toEqual(Array.from(order(1)));
    const x = [...batches(data, 5, { shuffle: true, random: seededRandom(3) })][0]!;
    for (let k = 0; k < 5; k++) expect(x.x[2 * k]).toBe(2 * x.labels[k]!);
  });
});
