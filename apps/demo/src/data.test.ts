import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadFashionMnist } from "./fashionMnist.mjs";

describe("the shipped subset", () => {
  it("has 10,000 train and 1,000 test images of 784 pixels in [0, 1], labels 0-9", async () => {
    const dir = fileURLToPath(new URL("../data", import.meta.url));
    const { train, test } = await loadFashionMnist(dir);
    expect([train.n, test.n]).toEqual([10_000, 1_000]);
    expect(train.x.shape).toEqual([784, 10_000]);
    const pixels = (await test.x.data()).subarray(0, 784);
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(Math.max(...pixels)).toBeGreaterThan(0.5);
    expect(new Set(train.labels).size).toBe(10);
    // The dataset's first test image is an ankle boot (label 9), its first training image too.
    expect([test.labels[0], train.labels[0]]).toEqual([9, 9]);
  });
});
