// randomCrop: pad every side, then cut a window at a random place (torchvision's RandomCrop(size, padding),
// the usual "shift by up to `padding` pixels" augmentation for small images).
import type { Tensor } from "@flux/kernels";
import { DataArgumentError } from "../errors.js";
import {
  type ImageTransform,
  type RandomTransformOptions,
  named,
  readImages,
  rngOf,
  writeImages,
} from "./images.js";

/** Options of `randomCrop`. */
export interface RandomCropOptions extends RandomTransformOptions {
  /** The window, `[width, height]` (a number: a square). Default: the image's own size. */
  size?: number | readonly [number, number];
  /** Pixels of `fill` added on every side before cropping (default 0). */
  padding?: number;
  /** The value of the padding pixels (default 0). */
  fill?: number;
}

/**
 * Pads each image by `padding` pixels of `fill` on every side, then crops a `size` window whose top-left
 * corner is drawn uniformly from `rng`, independently for each image (all channels of an image alike).
 * With the default size (the image's own), this shifts each image by up to `padding` pixels.
 *
 * Draws, per image: the x offset (`rng.int(W + 2·padding − width + 1)`), then the y offset.
 *
 * @example
 * const shift = randomCrop({ padding: 2, image: [28, 28], rng: rng(1) });
 * const train = DataLoader([mapobs(shift, x, { batched: true }), labels], { batchsize: 64, shuffle: true });
 */
export function randomCrop(opts: RandomCropOptions = {}): ImageTransform {
  const padding = opts.padding ?? 0;
  const fill = opts.fill ?? 0;
  if (!Number.isInteger(padding) || padding < 0)
    throw new DataArgumentError(`randomCrop: padding must be a whole number >= 0, got ${padding}.`);
  if (!Number.isFinite(fill))
    throw new DataArgumentError(`randomCrop: fill must be a finite number, got ${fill}.`);
  const size = typeof opts.size === "number" ? [opts.size, opts.size] : opts.size;
  if (size !== undefined && !size.every((s) => Number.isInteger(s) && s > 0))
    throw new DataArgumentError(`randomCrop: size must be positive whole numbers, got [${size.join(", ")}].`);
  const r = rngOf(opts, "randomCrop");
  const described = `randomCrop(${size ? `${size[0]}×${size[1]}, ` : ""}padding=${padding})`;
  return named((x: Tensor) => {
    const img = readImages(x, opts, "randomCrop");
    const { width: W, height: H, channels: C, count, pixels } = img;
    const [w, h] = size ?? [W, H];
    const spanX = W + 2 * padding - w;
    const spanY = H + 2 * padding - h;
    if (spanX < 0 || spanY < 0)
      throw new DataArgumentError(
        `randomCrop: a ${w}×${h} window does not fit a ${W}×${H} image padded by ${padding}.`,
      );
    const out = new (pixels.constructor as new (n: number) => typeof pixels)(w * h * C * count);
    for (let k = 0; k < count; k++) {
      // The window's top-left corner in the unpadded image's coordinates (may be negative).
      const ox = r.int(spanX + 1) - padding;
      const oy = r.int(spanY + 1) - padding;
      for (let c = 0; c < C; c++) {
        const src = (k * C + c) * W * H;
        const dst = (k * C + c) * w * h;
        for (let y = 0; y < h; y++) {
          const sy = oy + y;
          const row = dst + y * w;
          if (sy < 0 || sy >= H) {
            out.fill(fill, row, row + w);
            continue;
          }
          for (let xx = 0; xx < w; xx++) {
            const sx = ox + xx;
            out[row + xx] = sx >= 0 && sx < W ? pixels[src + sy * W + sx]! : fill;
          }
        }
      }
    }
    return writeImages(img, out, w, h, "randomCrop");
  }, described);
}
