import { describe, expect, it } from "vitest";
import { DatasetNotFoundError, IdxFormatError } from "../errors.js";
import { gunzip } from "./gunzip.js";
import { parseIdx, readIdx } from "./idx.js";
import { FashionMNIST } from "./mnist.js";
// Test-only: the repo's one Fashion-MNIST locator (FLUX_FASHION_MNIST_DIR or the documented default).
// biome-ignore lint/correctness/useImportExtensions: it has the extension; biome resolves to fixtures.d.mts and asks for .mjs.js
import { fashionMnistDir, haveFashionMnist } from "../../../../tooling/fixtures.mjs";
import { idxBytes } from "./idxBytes.fixture.js";

const DIR = fashionMnistDir();
const haveData = haveFashionMnist(DIR);

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

describe("parseIdx", () => {
  it("reads u8 data with dims reversed into Julia order", () => {
    const a = parseIdx(idxBytes(0x08, [2, 3], [1, 2, 3, 4, 5, 6]));
    expect(a.dtype).toBe("u8");
    expect(a.shape).toEqual([3, 2]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("converts big-endian i32, f32, i16 and signed i8 values", () => {
    expect(Array.from(parseIdx(idxBytes(0x0c, [2], [0, 0, 1, 0, 255, 255, 255, 254])).data)).toEqual([
      256, -2,
    ]);
    expect(Array.from(parseIdx(idxBytes(0x0d, [1], [0x3f, 0x80, 0, 0])).data)).toEqual([1]);
    expect(Array.from(parseIdx(idxBytes(0x0b, [1], [0xff, 0xfe])).data)).toEqual([-2]);
    expect(Array.from(parseIdx(idxBytes(0x09, [2], [200, 5])).data)).toEqual([-56, 5]);
  });

  it("rejects malformed files with clear errors", () => {
    expect(() => parseIdx(new Uint8Array([0, 0]))).toThrow(/at least a 4-byte header/);
    expect(() => parseIdx(new Uint8Array([1, 0, 8, 1, 0, 0, 0, 0]))).toThrow(/magic/);
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 1]))).toThrow(/gzip data/);
    expect(() => parseIdx(idxBytes(0x07, [1], [0]))).toThrow(/unknown IDX type byte 0x07/);
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0]))).toThrow(/declares 3 dims/);
    expect(() => parseIdx(idxBytes(0x08, [2, 3], [1, 2, 3]))).toThrow(/truncated/);
    expect(() => parseIdx(idxBytes(0x08, [2], [1, 2, 3]))).toThrow(/trailing bytes/);
    expect(() => parseIdx(idxBytes(0x08, [2], [1, 2, 3]))).toThrow(IdxFormatError);
  });
});

describe("readIdx / gunzip", () => {
  it("decompresses gzip by content and reads plain bytes as they are", async () => {
    const plain = idxBytes(0x08, [3], [7, 8, 9]);
    expect(Array.from((await readIdx(await gzip(plain))).data)).toEqual([7, 8, 9]);
    expect(Array.from((await readIdx(plain)).data)).toEqual([7, 8, 9]);
  });

  it("rejects corrupt gzip data", async () => {
    const gz = await gzip(idxBytes(0x08, [100], new Array(100).fill(3)));
    await expect(gunzip(gz.subarray(0, gz.length - 12))).rejects.toThrow(IdxFormatError);
  });
});

describe.skipIf(!haveData)("Fashion-MNIST from the full data set (FLUX_FASHION_MNIST_DIR)", () => {
  it("reads the real label and image files", async () => {
    const labels = await readIdx(`${DIR}/t10k-labels-idx1-ubyte.gz`);
    expect(labels.shape).toEqual([10000]);
    const images = await readIdx(`${DIR}/t10k-images-idx3-ubyte.gz`);
    expect(images.shape).toEqual([28, 28, 10000]);
  });

  it("loads the test split as MLDatasets does: [28, 28, N] f32 in [0, 1], labels 0-9", async () => {
    const test = await FashionMNIST({ dir: DIR, split: "test" });
    expect(test.features.shape).toEqual([28, 28, 10000]);
    expect(test.features.dtype).toBe("f32");
    const px = test.features.dataSync();
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of px) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
    const counts = new Array(10).fill(0);
    for (const y of test.targets) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(1000)); // Fashion-MNIST's test split is balanced
    expect(test.targets[0]).toBe(9); // the first test image is an ankle boot
    test.features.dispose();
    const flat = await FashionMNIST({ dir: DIR, split: "test", flatten: true });
    expect(flat.features.shape).toEqual([784, 10000]);
    flat.features.dispose();
  });

  it("loads the train split (60,000 images)", async () => {
    const train = await FashionMNIST({ dir: DIR });
    expect(train.features.shape).toEqual([28, 28, 60000]);
    expect(train.targets.length).toBe(60000);
    train.features.dispose();
  });
});

describe("FashionMNIST errors", () => {
  it("says which files are missing and never downloads", async () => {
    await expect(FashionMNIST({ dir: "/nonexistent-flux-data" })).rejects.toThrow(DatasetNotFoundError);
    await expect(FashionMNIST({ dir: "/nonexistent-flux-data" })).rejects.toThrow(/never downloads/);
    await expect(FashionMNIST({ dir: DIR, split: "val" as "test" })).rejects.toThrow(/split must be/);
  });
});
