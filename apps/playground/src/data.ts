// Fashion-MNIST in the browser: @flux/data's FashionMNIST loader reads folders with node:fs, so the page
// fetches the same four IDX .gz files over HTTP and decodes them with @flux/data's `readIdx`.
import { readIdx } from "@flux/data";
import { type Tensor, tensor } from "@flux/kernels";

/** One split, in Julia's order: `x` is `[784, n]` f32 columns in [0, 1], `labels` 0-9. */
export interface Split {
  readonly x: Tensor;
  readonly labels: Int32Array;
  /** The raw bytes, image i at `pixels.subarray(784 * i, 784 * (i + 1))`, row-major 28×28 (for drawing). */
  readonly pixels: Uint8Array;
  readonly n: number;
}

/** A failed download or a file that is not what the page expects. */
export class PlaygroundDataError extends Error {
  readonly code = "ERR_PLAYGROUND_DATA";
  override readonly name = "PlaygroundDataError";
}

async function fetchIdx(base: string, file: string) {
  const url = `${base.replace(/\/+$/, "")}/${file}`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new PlaygroundDataError(`[@flux-apps/playground] could not fetch ${url}; is the server running?`, {
      cause,
    });
  }
  if (!response.ok)
    throw new PlaygroundDataError(
      `[@flux-apps/playground] ${url} answered HTTP ${response.status}; rebuild the page (npm run build -w @flux-apps/playground) so dist/data holds the subset.`,
    );
  return readIdx(new Uint8Array(await response.arrayBuffer()));
}

async function loadSplit(base: string, prefix: "train" | "t10k"): Promise<Split> {
  const [images, labels] = await Promise.all([
    fetchIdx(base, `${prefix}-images-idx3-ubyte.gz`),
    fetchIdx(base, `${prefix}-labels-idx1-ubyte.gz`),
  ]);
  const [w, h, n] = images.shape;
  if (images.dtype !== "u8" || w !== 28 || h !== 28 || labels.shape[0] !== n)
    throw new PlaygroundDataError(
      `[@flux-apps/playground] ${prefix}: images ${images.dtype} [${images.shape.join(", ")}] and labels [${labels.shape.join(", ")}] do not make a Fashion-MNIST split; regenerate them with scripts/make-subset.mjs.`,
    );
  const pixels = images.data as Uint8Array;
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i]! / 255;
  return { x: tensor(scaled, [784, n!]), labels: Int32Array.from(labels.data), pixels, n: n! };
}

/**
 * Downloads and decodes the train and test splits served under `base` (the build copies them to `data/`).
 *
 * @example
 * const { train, test } = await loadFashionMnist("data"); // train.x.shape: [784, 3000]
 */
export async function loadFashionMnist(base: string): Promise<{ train: Split; test: Split }> {
  const [train, test] = await Promise.all([loadSplit(base, "train"), loadSplit(base, "t10k")]);
  return { train, test };
}
