// Image augmentation transforms: hand-checked pixels on tiny images (WHCN, x fastest), independence per
// image, seeded reproducibility, and use inside a DataLoader without leaking tensors.
import { memory, type Rng, rng, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import {
  augment,
  compose,
  DataArgumentError,
  DataLoader,
  mapobs,
  normalize,
  randomCrop,
  randomErasing,
  randomFlip,
} from "../index.js";

const vals = (t: Tensor) => Array.from(t.dataSync());
// A 3×3 image v(x, y) = 1 + x + 3y, stored x fastest:  1 2 3 / 4 5 6 / 7 8 9 (rows are y).
const IMG = [1, 2, 3, 4, 5, 6, 7, 8, 9];
/** An Rng stand-in that returns fixed draws. */
const fixed = (ints: number[], uniforms: number[] = []) =>
  ({ int: () => ints.shift() ?? 0, uniform: () => uniforms.shift() ?? 0 }) as unknown as Rng;

describe("randomCrop", () => {
  it("pads, then cuts the window at the drawn offset (x first, then y)", () => {
    const x = tensor(IMG, [3, 3]);
    // offsets drawn in [0, 2]: 0 → the window starts one pixel left of / above the image
    expect(vals(randomCrop({ padding: 1, rng: fixed([0, 0]) })(x))).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
    expect(vals(randomCrop({ padding: 1, rng: fixed([2, 2]) })(x))).toEqual([5, 6, 0, 8, 9, 0, 0, 0, 0]);
    expect(vals(randomCrop({ padding: 1, rng: fixed([2, 1]) })(x))).toEqual([2, 3, 0, 5, 6, 0, 8, 9, 0]);
    expect(vals(randomCrop({ padding: 1, fill: -1, rng: fixed([1, 0]) })(x))).toEqual([
      -1, -1, -1, 1, 2, 3, 4, 5, 6,
    ]);
  });

  it("crops to a smaller size, keeping the layout: [W, H, N] and flattened [W·H, N]", () => {
    const batch = tensor([...IMG, ...IMG.map((v) => v * 10)], [3, 3, 2]);
    const out = randomCrop({ size: 2, rng: fixed([0, 0, 1, 1]) })(batch);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(vals(out)).toEqual([1, 2, 4, 5, 50, 60, 80, 90]); // each image its own offset
    const flat = randomCrop({ size: [2, 2], image: [3, 3], rng: fixed([1, 0]) })(tensor(IMG, [9, 1]));
    expect(flat.shape).toEqual([4, 1]);
    expect(vals(flat)).toEqual([2, 3, 5, 6]);
  });

  it("moves all channels of an image together", () => {
    const twoChannels = tensor([...IMG, ...IMG.map((v) => -v)], [3, 3, 2]);
    const out = randomCrop({ padding: 1, image: [3, 3, 2], rng: fixed([0, 0]) })(twoChannels);
    expect(vals(out)).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5, 0, 0, 0, 0, -1, -2, 0, -4, -5]);
  });

  it("refuses bad options and inputs", () => {
    expect(() => randomCrop({ padding: -1 })).toThrow(DataArgumentError);
    expect(() => randomCrop({ size: 4 })(tensor(IMG, [3, 3]))).toThrow(/does not fit/);
    expect(() => randomCrop({ image: [2, 2] })(tensor(IMG, [9]))).toThrow(/whole 2×2×1 images/);
    expect(() => randomCrop()(IMG as never)).toThrow(/expected a Tensor/);
  });
});

describe("randomFlip", () => {
  it("mirrors left-right or top-bottom when the draw is below p", () => {
    const x = tensor(IMG, [3, 3]);
    expect(vals(randomFlip({ p: 1 })(x))).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    expect(vals(randomFlip({ p: 1, direction: "vertical" })(x))).toEqual([7, 8, 9, 4, 5, 6, 1, 2, 3]);
    expect(vals(randomFlip({ p: 0 })(x))).toEqual(IMG);
    // one draw per image: the first (0.3 < 0.5) flips, the second (0.7) does not
    const two = tensor([...IMG, ...IMG], [3, 3, 2]);
    expect(vals(randomFlip({ rng: fixed([], [0.3, 0.7]) })(two))).toEqual([
      3,
      2,
      1,
      6,
      5,
      4,
      9,
      8,
      7,
      ...IMG,
    ]);
  });

  it("keeps the dtype (u8 pixels)", () => {
    const out = randomFlip({ p: 1 })(tensor(Uint8Array.from(IMG), [3, 3]));
    expect(out.dtype).toBe("u8");
    expect(vals(out)).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
  });
});

describe("randomErasing and normalize", () => {
  it("blanks one rectangle inside the image, within the area bounds", () => {
    const x = tensor(new Float32Array(400).fill(1), [20, 20]);
    const out = vals(randomErasing({ p: 1, scale: [0.1, 0.2], ratio: [0.5, 2], rng: rng(3) })(x));
    const zeros = out.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThanOrEqual(0.2 * 400 + 20); // rounding of each side
    // the zeros form a rectangle: rows with zeros all have the same zero columns
    const rows = Array.from({ length: 20 }, (_, y) => out.slice(20 * y, 20 * y + 20).map((v) => v === 0));
    const hit = rows.filter((r) => r.some(Boolean));
    for (const r of hit) expect(r).toEqual(hit[0]);
    expect(vals(randomErasing({ p: 0 })(x))).toEqual(vals(x));
  });

  it("normalize: (x − mean[c]) / std[c] per channel", () => {
    const x = tensor([1, 2, 3, 4, 10, 20, 30, 40], [2, 2, 2]);
    expect(vals(normalize({ mean: [2, 20], std: [2, 10], image: [2, 2, 2] })(x))).toEqual([
      -0.5, 0, 0.5, 1, -1, 0, 1, 2,
    ]);
    expect(() => normalize({ mean: 0, std: 0 })).toThrow(DataArgumentError);
  });
});

describe("transforms in the data pipeline", () => {
  it("compose applies in order and frees what it made in between", () => {
    const x = tensor(IMG, [3, 3]);
    const t = compose(randomFlip({ p: 1 }), randomCrop({ padding: 1, rng: fixed([0, 0]) }));
    expect(t.description).toBe("compose(randomFlip(horizontal, p=1) → randomCrop(padding=1))");
    const before = memory().liveTensors;
    const out = t(x);
    expect(memory().liveTensors).toBe(before + 1);
    expect(vals(out)).toEqual([0, 0, 0, 0, 3, 2, 0, 6, 5]);
    expect(vals(x)).toEqual(IMG); // the input is left alone
  });

  it("one seed, the same images: per batch (augment) and per observation (mapobs) alike", () => {
    const n = 6;
    const x = tensor(
      Array.from({ length: 9 * n }, (_, i) => i),
      [9, n],
    );
    const make = () =>
      compose(
        randomCrop({ padding: 1, image: [3, 3], rng: rng(4) }),
        randomFlip({ image: [3, 3], rng: rng(5) }),
      );
    const batched = vals(augment(make(), x).getobsBatch([0, 1, 2, 3, 4, 5]) as Tensor);
    const single = mapobs(make(), x);
    const perObs = Array.from({ length: n }, (_, i) => vals(single.getobs(i))).flat();
    expect(batched).toEqual(perObs);
    const again = vals(augment(make(), x).getobsBatch([0, 1, 2, 3, 4, 5]) as Tensor);
    expect(again).toEqual(batched);
  });

  it("runs inside a shuffling DataLoader, batch by batch, leaking nothing", () => {
    const n = 40;
    const x = tensor(
      Array.from({ length: 784 * n }, (_, i) => (i % 784) / 784),
      [784, n],
    );
    const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
    const aug = augment(
      compose(
        randomCrop({ padding: 2, image: [28, 28], rng: rng(1) }),
        randomFlip({ image: [28, 28], rng: rng(2) }),
      ),
      x,
    );
    const loader = DataLoader([aug, labels], { batchsize: 16, shuffle: true, rng: rng(3) });
    const before = memory().liveTensors;
    const shapes: number[][] = [];
    for (const [images, y] of loader) {
      shapes.push([...(images as Tensor).shape, (y as Int32Array).length]);
      (images as Tensor).dispose();
    }
    expect(shapes).toEqual([
      [784, 16, 16],
      [784, 16, 16],
      [784, 8, 8],
    ]);
    expect(memory().liveTensors).toBe(before);
  });
});
