import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_FASHION_MNIST_DIR, fashionMnistDir, haveFashionMnist, REPO_ROOT } from "./fixtures.mjs";

describe("fashionMnistDir", () => {
  it("defaults to shared/datasets/fashion-mnist next to the repository", () => {
    expect(fashionMnistDir({})).toBe(DEFAULT_FASHION_MNIST_DIR);
    expect(DEFAULT_FASHION_MNIST_DIR).toBe(resolve(REPO_ROOT, "../shared/datasets/fashion-mnist"));
    expect(fashionMnistDir({ FLUX_FASHION_MNIST_DIR: "" })).toBe(DEFAULT_FASHION_MNIST_DIR);
  });

  it("follows FLUX_FASHION_MNIST_DIR, resolved to an absolute path", () => {
    expect(fashionMnistDir({ FLUX_FASHION_MNIST_DIR: "/data/fm" })).toBe("/data/fm");
    expect(fashionMnistDir({ FLUX_FASHION_MNIST_DIR: "rel/fm" })).toBe(resolve("rel/fm"));
  });
});

describe("haveFashionMnist", () => {
  it("needs all four IDX files, gzipped or plain", () => {
    const dir = mkdtempSync(join(tmpdir(), "flux-fm-"));
    try {
      for (const f of ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte.gz"])
        writeFileSync(join(dir, f), "");
      expect(haveFashionMnist(dir)).toBe(false);
      writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), "");
      expect(haveFashionMnist(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
