// One training epoch and one evaluation pass, in Flux's style: a DataLoader over (images, labels),
// `withgradient` of the loss with respect to the model, then the optimiser's in-place update. The maths
// runs on whichever device the model was moved to; each batch is moved there too.
import { DataLoader } from "@flux/data";
import { fleaves } from "@flux/functors";
import { isTensor, onecold, onehotbatch, tidy, withgradient } from "@flux/kernels";
import { logitcrossentropy } from "@flux/layers";
/** @import { Rng, Tensor } from "@flux/kernels" */
/** @import { LayerLike } from "@flux/layers" */
/** @import { PickedDevice } from "./device.mjs" */

/** @typedef {{ x: Tensor, labels: Int32Array | Uint8Array, n: number }} Split */
/** @typedef {(m: LayerLike, x: Tensor) => Tensor} Forward the model applied to a batch */

const CLASS_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** @param {unknown} tree */
function disposeAll(tree) {
  for (const t of fleaves(tree)) if (isTensor(t) && !t.isDisposed) t.dispose();
}

/**
 * Trains for one epoch over `data` (`{ x, labels }`); calls `onBatch(batchIndex, loss, n)` after each step.
 *
 * @example
 * await trainEpoch({ model, forward, opt, data: train, batchsize: 64, rng: rng(1), device, onBatch });
 *
 * @param {{ model: LayerLike, forward: Forward, opt: { step(model: unknown, grad: unknown): unknown },
 *   data: Split, batchsize: number, rng: Rng, device: PickedDevice,
 *   onBatch: (batch: number, loss: number, n: number) => void }} options
 * @returns {Promise<number>}
 */
export async function trainEpoch({ model, forward, opt, data, batchsize, rng, device, onBatch }) {
  const loader = DataLoader([data.x, data.labels], { batchsize, shuffle: true, rng });
  let i = 0;
  for (const [images, labels] of loader) {
    const x = await device.move(images);
    const y = await device.move(onehotbatch(labels, CLASS_IDS));
    const { val, grad } = tidy(() => withgradient((m) => logitcrossentropy(forward(m, x), y), model));
    opt.step(model, grad[0]);
    const loss = await val.item();
    disposeAll([images === data.x ? null : images, x, y, val, grad]);
    if (!Number.isFinite(loss))
      throw new Error(`[demo] the loss became ${loss} at step ${i + 1}; try a smaller --lr.`);
    onBatch(++i, loss, labels.length);
  }
  return i;
}

/**
 * Predicts every observation of `data`; returns `{ accuracy, predicted }` (predicted: 0-based classes).
 *
 * @example
 * const { accuracy } = await evaluate({ model, forward, data: test, device });
 *
 * @param {{ model: LayerLike, forward: Forward, data: Split, device: PickedDevice, batchsize?: number }} options
 */
export async function evaluate({ model, forward, data, device, batchsize = 1000 }) {
  const predicted = new Int32Array(data.n);
  let offset = 0;
  for (const images of DataLoader(data.x, { batchsize })) {
    const x = await device.move(images);
    const classes = tidy(() => onecold(forward(model, x)));
    predicted.set(await classes.data(), offset);
    offset += classes.size;
    disposeAll([images === data.x ? null : images, x, classes]);
  }
  let right = 0;
  for (let i = 0; i < data.n; i++) if (predicted[i] === data.labels[i]) right++;
  return { accuracy: right / data.n, predicted };
}
