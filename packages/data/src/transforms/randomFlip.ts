// randomFlip: mirror an image with probability p (torchvision's RandomHorizontalFlip / RandomVerticalFlip,
// DataAugmentation.jl's Maybe(FlipX())).
import { DataArgumentError } from "../errors.js";
import { type ImageTransform, type RandomTransformOptions, maybeEachImage, probability } from "./images.js";

/** Options of `randomFlip`. */
export interface RandomFlipOptions extends RandomTransformOptions {
  /** `"horizontal"` (default: left ↔ right, the width dim reversed) or `"vertical"` (top ↔ bottom). */
  direction?: "horizontal" | "vertical";
  /** The probability of flipping each image (default 0.5; 1 always flips). */
  p?: number;
}

/**
 * Mirrors each image with probability `p` (all channels alike), deciding independently per image.
 * Horizontal reverses the width (first) dim, vertical the height dim.
 *
 * Draws, per image: one `rng.uniform()`; the image is flipped when it is below `p`.
 *
 * @example
 * const flip = randomFlip({ image: [28, 28], rng: rng(1) });
 * const images = mapobs(flip, x, { batched: true }); // half of the images mirrored, left to right
 */
export function randomFlip(opts: RandomFlipOptions = {}): ImageTransform {
  const p = probability(opts.p ?? 0.5, "randomFlip");
  const direction = opts.direction ?? "horizontal";
  if (direction !== "horizontal" && direction !== "vertical")
    throw new DataArgumentError(
      `randomFlip: direction is "horizontal" or "vertical", got ${String(direction)}.`,
    );
  return maybeEachImage("randomFlip", opts, p, `randomFlip(${direction}, p=${p})`, (img, out, k) => {
    const { width: W, height: H, channels: C, pixels } = img;
    for (let c = 0; c < C; c++) {
      const base = (k * C + c) * W * H;
      for (let y = 0; y < H; y++) {
        const sy = direction === "vertical" ? H - 1 - y : y;
        for (let xx = 0; xx < W; xx++) {
          const sx = direction === "horizontal" ? W - 1 - xx : xx;
          out[base + y * W + xx] = pixels[base + sy * W + sx]!;
        }
      }
    }
  });
}
