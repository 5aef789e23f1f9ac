// compose: one transform from several, applied left to right, freeing what is made in between.
import type { Tensor } from "@flux/kernels";
import { DataArgumentError } from "../errors.js";
import { type ImageTransform, named } from "./images.js";

/**
 * Applies `transforms` in order (torchvision's `Compose`, DataAugmentation.jl's `|>`); each intermediate
 * tensor is disposed once the next transform has read it. The input is left as it was.
 *
 * @example
 * const augmentation = compose(randomCrop({ padding: 2, image: [28, 28], rng: r }), randomFlip({ image: [28, 28], rng: r }));
 */
export function compose(...transforms: ((x: Tensor) => Tensor)[]): ImageTransform {
  for (const t of transforms)
    if (typeof t !== "function")
      throw new DataArgumentError(`compose: every argument must be a transform function, got ${typeof t}.`);
  const description = transforms.map((t) => (t as Partial<ImageTransform>).description ?? t.name).join(" → ");
  return named((x: Tensor) => {
    let y = x;
    for (const t of transforms) {
      const next = t(y);
      if (y !== x && next !== y) y.dispose();
      y = next;
    }
    return y;
  }, `compose(${description})`);
}
