// Bad arguments to the IDX and Fashion-MNIST readers get named errors with advice, and labels outside
// the ten classes are refused, naming the file and the index.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DataArgumentError, IdxFormatError } from "../errors.js";
import { parseIdx, readIdx } from "./idx.js";
import { FashionMNIST, MNIST } from "./mnist.js";
import { idxBytes } from "./idxBytes.fixture.js";

describe("parseIdx and readIdx inputs", () => {
  it("take an ArrayBuffer (what fetch gives) as well as a Uint8Array", async () => {
    const bytes = idxBytes(0x08, [3], [7, 8, 9]);
    const buffer = bytes.slice().buffer;
    expect(Array.from(parseIdx(buffer).data)).toEqual([7, 8, 9]);
    expect(Array.from((await readIdx(buffer)).data)).toEqual([7, 8, 9]);
  });

  it("anything else is a named error saying what was passed", async () => {
    expect(() => parseIdx(undefined as never)).toThrow(DataArgumentError);
    expect(() => parseIdx(undefined as never)).toThrow(/parseIdx: pass the file's bytes.*got undefined/);
    expect(() => parseIdx("file.idx" as never)).toThrow(/got string file.idx/);
    await expect(readIdx(42 as never)).rejects.toThrow(/readIdx: .*or a file path, got number 42/);
    await expect(readIdx(Promise.resolve(new Uint8Array()) as never)).rejects.toThrow(/forget `await`/);
    await expect(readIdx(idxBytes(0x08, [1], [1]), { maxBytes: -1 })).rejects.toThrow(/maxBytes must be/);
  });
});

describe("FashionMNIST / MNIST options", () => {
  it("without options: a named error with advice", async () => {
    const call = (FashionMNIST as (o?: unknown) => Promise<unknown>)();
    await expect(call).rejects.toThrow(DataArgumentError);
    await expect((FashionMNIST as (o?: unknown) => Promise<unknown>)()).rejects.toThrow(
      /FashionMNIST: expected an options object, got undefined; pass the folder holding the four IDX files: FashionMNIST\(\{ dir:/,
    );
    await expect(MNIST({} as never)).rejects.toThrow(/options.dir must be a folder path, got undefined/);
    await expect(FashionMNIST({ dir: "x", flaten: true } as never)).rejects.toThrow(
      /unknown option "flaten"/,
    );
  });
});

describe("labels outside 0..9", () => {
  for (const bad of [10, 200, 255]) {
    it(`label ${bad} is refused, naming the file and the index`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "flux-fmnist-"));
      const images = idxBytes(0x08, [3, 28, 28], new Array(3 * 784).fill(0));
      writeFileSync(join(dir, "t10k-images-idx3-ubyte.gz"), gzipSync(images));
      writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), idxBytes(0x08, [3], [1, bad, 2]));
      const p = FashionMNIST({ dir, split: "test" });
      await expect(p).rejects.toThrow(IdxFormatError);
      await expect(FashionMNIST({ dir, split: "test" })).rejects.toThrow(
        new RegExp(`t10k-labels-idx1-ubyte holds label ${bad} at index 1 \\(1 label\\(s\\) outside 0..9`),
      );
    });
  }

  it("labels 0-9 load", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flux-fmnist-"));
    writeFileSync(
      join(dir, "train-images-idx3-ubyte"),
      idxBytes(0x08, [2, 28, 28], new Array(2 * 784).fill(255)),
    );
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), idxBytes(0x08, [2], [0, 9]));
    const d = await MNIST({ dir });
    expect(Array.from(d.targets)).toEqual([0, 9]);
    d.features.dispose();
  });
});
