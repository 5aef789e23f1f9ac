// Where test and benchmark data live: the ONE place that knows the Fashion-MNIST folder. Every test, app and
// script that needs the full data set (60,000 + 10,000 images; the demo and the playground ship their own
// small subsets) asks `fashionMnistDir()`. Plain ESM with node: imports only, so vitest, plain-node scripts
// (bench, make-subset) and Bun/Deno load it unchanged; its types are in fixtures.d.mts beside it.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The environment variable that points at the Fashion-MNIST folder (the four IDX `.gz` files). */
export const FASHION_MNIST_ENV = "FLUX_FASHION_MNIST_DIR";

/** The repository's root folder (this file lives in `tooling/`). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The default folder when FLUX_FASHION_MNIST_DIR is unset: `shared/datasets/fashion-mnist` NEXT TO the
 * repository (a sibling of its root, so the 30 MB of data stay out of git). Nothing is ever downloaded.
 */
export const DEFAULT_FASHION_MNIST_DIR = join(REPO_ROOT, "..", "shared", "datasets", "fashion-mnist");

/**
 * The Fashion-MNIST folder: `$FLUX_FASHION_MNIST_DIR` when set and non-empty, else the default above.
 *
 * @example
 * await FashionMNIST({ dir: fashionMnistDir(), split: "test" });
 * @param {Record<string, string | undefined>} [env] the environment to read (default `process.env`)
 * @returns {string}
 */
export function fashionMnistDir(env = process.env) {
  const dir = env[FASHION_MNIST_ENV];
  return dir !== undefined && dir !== "" ? resolve(dir) : DEFAULT_FASHION_MNIST_DIR;
}

/**
 * Whether the full data set is present in `dir` (all four IDX files), so a test can skip when it is not.
 *
 * @param {string} [dir] default `fashionMnistDir()`
 * @returns {boolean}
 */
export function haveFashionMnist(dir = fashionMnistDir()) {
  return [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
  ].every((f) => existsSync(join(dir, `${f}.gz`)) || existsSync(join(dir, f)));
}
