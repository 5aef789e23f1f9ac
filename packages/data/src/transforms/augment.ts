// augment: mapobs for transforms that make new tensors, freeing the slice each one reads.
import { isTensor, type Tensor } from "@flux/kernels";
import { type MappedData, mapobs } from "../mapobs.js";

/**
 * `mapobs(transform, data, { batched })`, the lazy container a DataLoader draws its batches from, that
 * also frees each slice it hands to `transform` when `data` is a Tensor (its `getobs` makes a new tensor
 * per observation or batch, which nothing else holds). Plain `mapobs` works too: the slices are then left
 * to the garbage collector. `batched` defaults to true here: one transform call per batch.
 *
 * @example
 * const r = rng(1);
 * const images = augment(compose(randomCrop({ padding: 2, image: [28, 28], rng: r }),
 *   randomFlip({ image: [28, 28], rng: r })), train.features);
 * for (const [x, y] of DataLoader([images, train.targets], { batchsize: 64, shuffle: true, rng: rng(2) })) ...
 */
export function augment(
  transform: (x: Tensor) => Tensor,
  data: unknown,
  opts: { batched?: boolean } = {},
): MappedData<Tensor> {
  const owned = isTensor(data);
  return mapobs(
    (obs) => {
      const out = transform(obs as Tensor);
      if (owned && out !== obs) (obs as Tensor).dispose();
      return out;
    },
    data,
    { batched: opts.batched ?? true },
  );
}
