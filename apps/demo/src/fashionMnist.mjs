// The demo's data: Fashion-MNIST from a folder of the four IDX files through @flux/data's loader, images as
// `[784, N]` f32 columns in [0, 1] (Julia order: features first, observations last), labels 0-9.
import { FASHION_MNIST_CLASSES, FashionMNIST } from "@flux/data";

/** The ten class names, by label. */
export const CLASSES = FASHION_MNIST_CLASSES;

/**
 * Reads the train and test splits from `dir` as `{ x, labels, n }` each (`x` a CPU tensor `[784, n]`).
 *
 * @example
 * const { train, test } = await loadFashionMnist("apps/demo/data"); // train.x.shape: [784, 10000]
 *
 * @param {string} dir
 */
export async function loadFashionMnist(dir) {
  const [train, test] = await Promise.all(
    /** @type {const} */ (["train", "test"]).map((split) => FashionMNIST({ dir, split, flatten: true })),
  );
  /** @param {Awaited<ReturnType<typeof FashionMNIST>>} s */
  const pack = (s) => ({ x: s.features, labels: s.targets, n: s.targets.length });
  return { train: pack(train), test: pack(test) };
}
