// randomErasing: blank out a random rectangle (Zhong et al. 2017, torchvision's RandomErasing; "cutout").
import { DataArgumentError } from "../errors.js";
import { type ImageTransform, type RandomTransformOptions, maybeEachImage, probability } from "./images.js";

/** Options of `randomErasing` (torchvision's defaults). */
export interface RandomErasingOptions extends RandomTransformOptions {
  /** The probability of erasing a rectangle in each image (default 0.5). */
  p?: number;
  /** The rectangle's area as a fraction of the image's, `[min, max]` (default `[0.02, 0.33]`). */
  scale?: readonly [number, number];
  /** The rectangle's height / width, `[min, max]`, drawn log-uniformly (default `[0.3, 3.3]`). */
  ratio?: readonly [number, number];
  /** What the erased pixels become (default 0). */
  value?: number;
}

/**
 * With probability `p`, sets a random rectangle of each image to `value` (all channels), as torchvision's
 * `RandomErasing`: the area fraction is uniform in `scale`, the aspect ratio log-uniform in `ratio`, up to
 * 10 tries for a rectangle that fits, then a uniform place; an image with no fitting try is left alone.
 *
 * Draws, per image: `rng.uniform()` for `p`; then per try the area, the ratio, and (once one fits) the
 * top row and the left column.
 *
 * @example
 * const cutout = randomErasing({ p: 0.5, image: [28, 28], rng: rng(1) });
 */
export function randomErasing(opts: RandomErasingOptions = {}): ImageTransform {
  const p = probability(opts.p ?? 0.5, "randomErasing");
  const [s0, s1] = opts.scale ?? [0.02, 0.33];
  const [r0, r1] = opts.ratio ?? [0.3, 3.3];
  const value = opts.value ?? 0;
  if (!(s0 >= 0 && s0 <= s1 && s1 <= 1))
    throw new DataArgumentError(`randomErasing: scale is [min, max] within [0, 1], got [${s0}, ${s1}].`);
  if (!(r0 > 0 && r0 <= r1 && Number.isFinite(r1)))
    throw new DataArgumentError(
      `randomErasing: ratio is [min, max] with 0 < min <= max, got [${r0}, ${r1}].`,
    );
  if (!Number.isFinite(value))
    throw new DataArgumentError(`randomErasing: value must be finite, got ${value}.`);
  const logR0 = Math.log(r0);
  const logR1 = Math.log(r1);
  return maybeEachImage("randomErasing", opts, p, `randomErasing(p=${p})`, (img, out, k, r) => {
    const { width: W, height: H, channels: C } = img;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = W * H * (s0 + (s1 - s0) * r.uniform());
      const aspect = Math.exp(logR0 + (logR1 - logR0) * r.uniform());
      const h = Math.round(Math.sqrt(area * aspect));
      const w = Math.round(Math.sqrt(area / aspect));
      if (!(h < H && w < W)) continue;
      const top = r.int(H - h + 1);
      const left = r.int(W - w + 1);
      for (let c = 0; c < C; c++) {
        const base = (k * C + c) * W * H;
        for (let y = top; y < top + h; y++) out.fill(value, base + y * W + left, base + y * W + left + w);
      }
      return;
    }
  });
}
