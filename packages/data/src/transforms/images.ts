// What every image transform shares: the geometry of the images in a tensor, reading them on the host and
// building the result with the same dtype. Images are Flux's WHCN layout (width first, column-major), one
// observation or a batch alike: a tensor holds a whole number of `width × height × channels` images.
import { isTensor, type Rng, type Tensor, type TypedArray, tensor } from "@flux/kernels";
import { rngOption } from "../checkArgs.js";
import { DataArgumentError } from "../errors.js";

/** Options every image transform takes. */
export interface ImageTransformOptions {
  /**
   * The size of one image, `[width, height]` or `[width, height, channels]` (Flux's WHCN order). Default:
   * the tensor's first two dims, one channel. Give it for flattened features: `[784, N]` Fashion-MNIST
   * columns are `image: [28, 28]`.
   */
  image?: readonly [number, number] | readonly [number, number, number];
}

/** Options of the transforms that draw random numbers. */
export interface RandomTransformOptions extends ImageTransformOptions {
  /** Where the random choices come from (kernels' `defaultRng()` when omitted): seed it to repeat a run. */
  rng?: Rng;
}

/**
 * An image transform: a function from a tensor of images (one observation, or a batch with the
 * observations last) to a NEW tensor of the same dtype on the CPU; the input is left as it was. Use it
 * with `mapobs` (or `augment`) so that it runs inside the DataLoader, batch by batch.
 */
export interface ImageTransform {
  (x: Tensor): Tensor;
  /** `mapobs` hands observations over as `unknown`: anything but a CPU tensor of images throws. */
  (x: unknown): Tensor;
  /** What it does, e.g. `randomCrop(28×28, padding=2)`, for printing a pipeline. */
  readonly description: string;
}

/** @internal The images of one input tensor, read on the host. */
export interface Images {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  /** How many images the tensor holds. */
  readonly count: number;
  readonly pixels: TypedArray;
  readonly input: Tensor;
}

/** @internal Resolves the geometry of `x`'s images and reads its values (CPU tensors only). */
export function readImages(x: unknown, opts: ImageTransformOptions, op: string): Images {
  if (!isTensor(x)) {
    throw new DataArgumentError(
      `${op}: expected a Tensor of images, got ${x === null ? "null" : typeof x}. With a tuple or object ` +
        "of containers, map only the images: DataLoader([mapobs(t, images, { batched: true }), labels]).",
    );
  }
  const [width, height, channels = 1] = opts.image ?? [x.shape[0] ?? 0, x.shape[1] ?? 1, 1];
  const per = width * height * channels;
  if (!(per > 0) || x.size % per !== 0) {
    throw new DataArgumentError(
      `${op}: a ${x.shape.join("×")} tensor does not hold whole ${width}×${height}×${channels} images` +
        `${opts.image ? "" : " (from its first two dims; pass `image: [width, height, channels?]` for other layouts)"}.`,
    );
  }
  if (x.dtype === "f16" || x.dtype === "bool") {
    throw new DataArgumentError(`${op}: ${x.dtype} images are not supported; cast them to f32 first.`);
  }
  let pixels: TypedArray;
  try {
    pixels = x.dataSync();
  } catch (e) {
    throw new DataArgumentError(
      `${op}: the images are on ${String(x.device)}; image transforms run on the host, inside the ` +
        "DataLoader, before each batch moves to the device: map them over the CPU dataset.",
      { cause: e },
    );
  }
  return { width, height, channels, count: x.size / per, pixels, input: x };
}

/**
 * @internal A tensor shaped like the input with each image now `width × height` (same channels): `[W, H,
 * rest...]` becomes `[width, height, rest...]`, flattened `[W·H·C, rest...]` becomes `[width·height·C, rest...]`.
 */
export function writeImages(
  src: Images,
  pixels: TypedArray,
  width: number,
  height: number,
  op: string,
): Tensor {
  const x = src.input;
  let shape: number[];
  if (width === src.width && height === src.height) shape = [...x.shape];
  else if (x.rank >= 2 && x.shape[0] === src.width && x.shape[1] === src.height)
    shape = [width, height, ...x.shape.slice(2)];
  else if (x.shape[0] === src.width * src.height * src.channels)
    shape = [width * height * src.channels, ...x.shape.slice(1)];
  else
    throw new DataArgumentError(
      `${op}: cannot say where a ${width}×${height} image goes in a ${x.shape.join("×")} tensor; give images ` +
        "as [width, height, ...] or flattened [width·height·channels, ...].",
    );
  return tensor(pixels, shape, { dtype: x.dtype });
}

/** @internal The rng option or the default generator. */
export function rngOf(opts: RandomTransformOptions, fn: string): Rng {
  return rngOption(fn, opts.rng, ["int", "uniform"]);
}

/** @internal Names a transform function (its `description`). */
export function named(f: (x: Tensor) => Tensor, description: string): ImageTransform {
  Object.defineProperty(f, "description", { value: description, enumerable: true });
  Object.defineProperty(f, "name", { value: description.replace(/\(.*$/, "") });
  return f as ImageTransform;
}

/** @internal Checks a probability option. */
export function probability(p: number, op: string): number {
  if (!(p >= 0 && p <= 1)) throw new DataArgumentError(`${op}: p must be a probability in [0, 1], got ${p}.`);
  return p;
}

/**
 * @internal A same-size transform applied to each image with probability `p` (DataAugmentation.jl's
 * `Maybe`): per image one `rng.uniform()`, and when it is below `p`, `edit` rewrites image `k` in `out`
 * (a copy of the input's pixels, so it may read the originals from `img.pixels`).
 */
export function maybeEachImage(
  op: string,
  opts: RandomTransformOptions & { p?: number },
  p: number,
  description: string,
  edit: (img: Images, out: TypedArray, k: number, r: Rng) => void,
): ImageTransform {
  const r = rngOf(opts, op);
  return named((x: Tensor) => {
    const img = readImages(x, opts, op);
    const out = img.pixels.slice();
    for (let k = 0; k < img.count; k++) if (r.uniform() < p) edit(img, out, k, r);
    return writeImages(img, out, img.width, img.height, op);
  }, description);
}
