// MNIST and Fashion-MNIST from a local folder of the four IDX files (the same names for both datasets).
import { type Tensor, tensor } from "@flux/kernels";
import { DataArgumentError, DatasetNotFoundError, IdxFormatError } from "../errors.js";
import { DEFAULT_MAX_INFLATED_BYTES, describeValue } from "./gunzip.js";
import { decodeIdxBytes, type IdxArray, readLocalFile } from "./idx.js";

/** Options of `MNIST` / `FashionMNIST`. */
export interface MnistOptions {
  /** The folder holding `train-images-idx3-ubyte(.gz)` and friends. Nothing is downloaded. */
  dir: string;
  /** `"train"` (60,000 images, the default) or `"test"` (10,000). */
  split?: "train" | "test";
  /** Give features as `[784, N]` instead of `[28, 28, N]` (default false). */
  flatten?: boolean;
}

/** A loaded split: features on the CPU, labels 0-9. */
export interface MnistData {
  /** f32 pixels scaled to [0, 1]: `[28, 28, N]` (MLDatasets' layout, `x[:, :, i]` is image i) or `[784, N]`. */
  readonly features: Tensor;
  /** The class of each image, 0-9 (MLDatasets gives the same 0-based labels). */
  readonly targets: Int32Array;
  readonly split: "train" | "test";
}

async function readSplitFile(
  dir: string,
  name: string,
  dataset: string,
): Promise<{ array: IdxArray; path: string }> {
  const base = `${dir.replace(/\/+$/, "")}/${name}`;
  for (const path of [`${base}.gz`, base]) {
    let bytes: Uint8Array;
    try {
      bytes = await readLocalFile(path);
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT" || (e as Error).name === "NotFound") continue;
      throw new DatasetNotFoundError(`${dataset}: cannot read ${path}.`, { cause: e });
    }
    try {
      return { array: await decodeIdxBytes(bytes, DEFAULT_MAX_INFLATED_BYTES), path };
    } catch (e) {
      if (e instanceof IdxFormatError)
        throw new IdxFormatError(`${path}: ${e.message.replace(/^\[@flux\/data\] /, "")}`, { cause: e });
      throw e;
    }
  }
  throw new DatasetNotFoundError(
    `${dataset}: neither ${base}.gz nor ${base} exists. Put the four IDX files in "${dir}" (this loader never downloads).`,
  );
}

const OPTION_KEYS = ["dir", "split", "flatten"];

function checkOptions(dataset: string, opts: unknown): MnistOptions {
  const advice = `pass the folder holding the four IDX files: ${dataset}({ dir: "data/${dataset.toLowerCase()}", split: "train" }) (nothing is ever downloaded).`;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts))
    throw new DataArgumentError(
      `${dataset}: expected an options object, got ${describeValue(opts)}; ${advice}`,
    );
  for (const k of Object.keys(opts))
    if (!OPTION_KEYS.includes(k))
      throw new DataArgumentError(
        `${dataset}: unknown option "${k}" (known: ${OPTION_KEYS.join(", ")}); ${advice}`,
      );
  const { dir, flatten } = opts as MnistOptions;
  if (typeof dir !== "string" || dir === "")
    throw new DataArgumentError(
      `${dataset}: options.dir must be a folder path, got ${describeValue(dir)}; ${advice}`,
    );
  if (flatten !== undefined && typeof flatten !== "boolean")
    throw new DataArgumentError(
      `${dataset}: options.flatten must be true or false, got ${describeValue(flatten)}.`,
    );
  return opts as MnistOptions;
}

/** Refuses labels outside 0..9, naming the file and the first bad index. */
function checkLabels(dataset: string, labels: IdxArray, path: string): void {
  const data = labels.data;
  for (let i = 0; i < data.length; i++) {
    const y = data[i]!;
    if (y > 9) {
      let count = 0;
      for (let j = i; j < data.length; j++) if (data[j]! > 9) count++;
      throw new IdxFormatError(
        `${dataset}: ${path} holds label ${y} at index ${i} (${count} label(s) outside 0..9 in all); the classes are 0-9. The file is corrupt or belongs to another dataset.`,
      );
    }
  }
}

async function loadMnistLike(dataset: string, options: unknown): Promise<MnistData> {
  const opts = checkOptions(dataset, options);
  const split = opts.split ?? "train";
  if (split !== "train" && split !== "test")
    throw new DataArgumentError(`${dataset}: split must be "train" or "test", got ${String(split)}.`);
  const prefix = split === "train" ? "train" : "t10k";
  const [{ array: images }, { array: labels, path: labelsPath }] = await Promise.all([
    readSplitFile(opts.dir, `${prefix}-images-idx3-ubyte`, dataset),
    readSplitFile(opts.dir, `${prefix}-labels-idx1-ubyte`, dataset),
  ]);
  const [w, h, n] = images.shape;
  if (images.dtype !== "u8" || images.shape.length !== 3 || w !== 28 || h !== 28)
    throw new IdxFormatError(
      `${dataset}: the images file holds ${images.dtype} [${images.shape.join(", ")}], expected u8 [28, 28, N].`,
    );
  if (labels.dtype !== "u8" || labels.shape.length !== 1 || labels.shape[0] !== n)
    throw new IdxFormatError(
      `${dataset}: the labels file holds ${labels.dtype} [${labels.shape.join(", ")}], expected u8 [${n}] to match the images.`,
    );
  checkLabels(dataset, labels, labelsPath);
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i]! / 255;
  const features = tensor(pixels, opts.flatten ? [784, n!] : [28, 28, n!]);
  return { features, targets: Int32Array.from(labels.data), split };
}

/**
 * Loads a split of MNIST from a local folder (MLDatasets' `MNIST(split=:train)`), never from the network.
 *
 * Reads `train-*` / `t10k-*` `images-idx3-ubyte` and `labels-idx1-ubyte`, gzipped (`.gz`, preferred) or
 * plain, and checks their shapes. Node, Bun and Deno (it reads files with `node:fs`).
 *
 * @example
 * const { features, targets } = await MNIST({ dir: "data/mnist", split: "test" }); // [28, 28, 10000]
 */
export function MNIST(opts: MnistOptions): Promise<MnistData> {
  return loadMnistLike("MNIST", opts);
}

/**
 * Loads a split of Fashion-MNIST from a local folder (MLDatasets' `FashionMNIST`); same files and layout
 * as `MNIST`. Class names are in `FASHION_MNIST_CLASSES`.
 *
 * @example
 * const train = await FashionMNIST({ dir: "data/fashion-mnist", flatten: true });
 * train.features.shape; // [784, 60000]
 */
export function FashionMNIST(opts: MnistOptions): Promise<MnistData> {
  return loadMnistLike("FashionMNIST", opts);
}

/** Fashion-MNIST's class names, by label. @example FASHION_MNIST_CLASSES[9]; // "Ankle boot" */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  "T-Shirt",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
]);
