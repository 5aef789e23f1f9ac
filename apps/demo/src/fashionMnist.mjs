// Loads Fashion-MNIST from a folder of the four IDX files (.gz or plain), as the demo needs it: images as
// f32 in [0, 1], 784 features per column (Julia order: features first, observations last), labels as u8.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeIdx } from "./idx.mjs";

/** The ten class names, in label order. */
export const CLASSES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

async function readSplit(dir, prefix) {
  const find = (kind) => {
    for (const name of [`${prefix}-${kind}-ubyte.gz`, `${prefix}-${kind}-ubyte`, `${prefix}-${kind}.ubyte`]) {
      if (existsSync(join(dir, name))) return join(dir, name);
    }
    throw new Error(
      `[demo] no ${prefix}-${kind}-ubyte(.gz) in ${dir}; pass --data with a folder holding the four ` +
        "Fashion-MNIST IDX files (train-images-idx3-ubyte.gz, ...).",
    );
  };
  const images = decodeIdx(await readFile(find("images-idx3")), `${prefix} images`);
  const labels = decodeIdx(await readFile(find("labels-idx1")), `${prefix} labels`);
  const n = images.dims[0];
  const features = images.dims.slice(1).reduce((a, b) => a * b, 1);
  if (labels.dims[0] !== n) throw new Error(`[demo] ${prefix}: ${n} images but ${labels.dims[0]} labels.`);
  // Row-major 28×28 images become 784-long columns; the pixel order inside a column is the file's.
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
  return {
    x,
    labels: new Uint8Array(labels.data),
    n,
    features,
    height: images.dims[1],
    width: images.dims[2],
  };
}

/**
 * Reads the train and test splits from `dir`.
 *
 * @example
 * const { train, test } = await loadFashionMnist("apps/demo/data"); // train.x: Float32Array(784 * n)
 */
export async function loadFashionMnist(dir) {
  const [train, test] = await Promise.all([readSplit(dir, "train"), readSplit(dir, "t10k")]);
  return { train, test };
}
