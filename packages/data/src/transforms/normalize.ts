// normalize: (x - mean) / std per channel (torchvision's Normalize), the deterministic end of a pipeline.
import type { Tensor } from "@flux/kernels";
import { DataArgumentError } from "../errors.js";
import { type ImageTransformOptions, type ImageTransform, named, readImages, writeImages } from "./images.js";

/** Options of `normalize`. */
export interface NormalizeOptions extends ImageTransformOptions {
  /** The mean to subtract: one number for every channel, or one per channel. */
  mean: number | readonly number[];
  /** The standard deviation to divide by: one number, or one per channel (each > 0). */
  std: number | readonly number[];
}

/**
 * `(x - mean[c]) / std[c]` for every pixel of channel `c` (f32 and f64 images; the dtype is kept).
 *
 * @example
 * const standardise = normalize({ mean: 0.286, std: 0.353, image: [28, 28] }); // Fashion-MNIST's
 */
export function normalize(opts: NormalizeOptions): ImageTransform {
  const means = typeof opts.mean === "number" ? [opts.mean] : [...opts.mean];
  const stds = typeof opts.std === "number" ? [opts.std] : [...opts.std];
  if (!means.every(Number.isFinite) || !stds.every((s) => Number.isFinite(s) && s > 0))
    throw new DataArgumentError("normalize: mean must be finite and std finite and > 0.");
  return named(
    (x: Tensor) => {
      const img = readImages(x, opts, "normalize");
      if (x.dtype !== "f32" && x.dtype !== "f64")
        throw new DataArgumentError(`normalize: needs f32 or f64 images, got ${x.dtype}; cast first.`);
      const { width: W, height: H, channels: C, count, pixels } = img;
      for (const [name, list] of [
        ["mean", means],
        ["std", stds],
      ] as const)
        if (list.length !== 1 && list.length !== C)
          throw new DataArgumentError(`normalize: ${list.length} ${name} values for ${C} channels.`);
      const out = pixels.slice();
      const plane = W * H;
      for (let k = 0; k < count; k++)
        for (let c = 0; c < C; c++) {
          const m = means[means.length === 1 ? 0 : c]!;
          const s = stds[stds.length === 1 ? 0 : c]!;
          const base = (k * C + c) * plane;
          for (let i = base; i < base + plane; i++) out[i] = (pixels[i]! - m) / s;
        }
      return writeImages(img, out, W, H, "normalize");
    },
    `normalize(mean=${means.join(",")}, std=${stds.join(",")})`,
  );
}
