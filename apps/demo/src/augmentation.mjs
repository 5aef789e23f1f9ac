// Training-image augmentation from @flux/data's transforms, run inside the DataLoader batch by batch:
// the images are `[784, N]` columns of 28×28 Fashion-MNIST pictures.
import { augment, compose, randomCrop, randomErasing, randomFlip } from "@flux/data";
/** @import { Rng, Tensor } from "@flux/kernels" */

const IMAGE = /** @type {const} */ ([28, 28]);

/**
 * The training images, augmented per batch by the transforms `names` lists (`crop`: shift by up to 2
 * pixels; `flip`: mirror left-right half of the time; `erase`: blank a random rectangle half of the
 * time), drawing from `rng`; the images themselves when `names` is empty.
 *
 * Returns `{ data, description }`: `data` goes into the DataLoader in place of the images.
 *
 * @example
 * const { data } = augmentedImages(train.x, ["crop", "flip"], rng(2));
 * DataLoader([data, train.labels], { batchsize: 64, shuffle: true });
 *
 * @param {Tensor} images
 * @param {readonly string[]} names
 * @param {Rng} rng
 */
export function augmentedImages(images, names, rng) {
  if (names.length === 0) return { data: /** @type {unknown} */ (images), description: "none" };
  const make = {
    crop: () => randomCrop({ padding: 2, image: IMAGE, rng }),
    flip: () => randomFlip({ image: IMAGE, rng }),
    erase: () => randomErasing({ p: 0.5, scale: [0.02, 0.2], image: IMAGE, rng }),
  };
  const transforms = names.map((n) => make[/** @type {keyof typeof make} */ (n)]());
  const transform = transforms.length === 1 ? transforms[0] : compose(...transforms);
  return { data: /** @type {unknown} */ (augment(transform, images)), description: transform.description };
}
