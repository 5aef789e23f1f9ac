// The demo's learning-rate schedules and augmentation: built from @flux/optim's
// schedules and @flux/data's transforms, with the values the help text promises.
import { memory, rng, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { augmentedImages } from "./augmentation.mjs";
import { demoSchedule } from "./schedule.mjs";

describe("demo schedules", () => {
  it("cosine: a linear warm-up over the first epoch, then one cosine to lr/100", () => {
    const s = demoSchedule("cosine", 0.002, 10, 100);
    expect(s(1)).toBe(0); // Triangle from 0
    expect(s(51)).toBeCloseTo(0.001, 12); // half way up
    expect(s(101)).toBeCloseTo(0.002, 12); // the cosine's top
    expect(s(1000)).toBeCloseTo(0.00002 + (0.00198 * (1 + Math.cos((Math.PI * 899) / 900))) / 2, 12);
    expect(s(1000)).toBeLessThan(0.000021);
  });

  it("step: the old per-epoch decay (×0.7 per epoch after the third)", () => {
    const s = demoSchedule("step", 0.001, 6, 10);
    const perEpoch = [1, 11, 21, 31, 41, 51].map((t) => s(t));
    for (const [i, f] of [1, 1, 1, 0.7, 0.49, 0.343].entries())
      expect(perEpoch[i]).toBeCloseTo(0.001 * f, 12);
  });

  it("onecycle and constant", () => {
    const one = demoSchedule("onecycle", 0.01, 2, 50);
    expect(one(1)).toBeCloseTo(0.01 / 25, 12);
    expect(Math.max(...Array.from({ length: 100 }, (_, i) => one(i + 1)))).toBeCloseTo(0.01, 6);
    expect(demoSchedule("constant", 0.003, 3, 7)(21)).toBe(0.003);
  });
});

describe("demo augmentation", () => {
  it("maps crop and flip over [784, N] columns batch by batch, leaving the dataset alone", () => {
    const x = tensor(
      Array.from({ length: 784 * 4 }, (_, i) => (i % 784) / 784),
      [784, 4],
    );
    const { data, description } = augmentedImages(x, ["crop", "flip"], rng(1));
    expect(description).toBe("compose(randomCrop(padding=2) → randomFlip(horizontal, p=0.5))");
    const before = memory().liveTensors;
    const batch = (data as { getobsBatch(i: number[]): Tensor }).getobsBatch([0, 1, 2, 3]);
    expect(batch.shape).toEqual([784, 4]);
    expect(memory().liveTensors).toBe(before + 1);
    batch.dispose();
    expect(augmentedImages(x, [], rng(1)).data).toBe(x);
  });
});
