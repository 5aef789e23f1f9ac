// One training epoch and one evaluation pass, in Flux's style: a DataLoader over (images, labels),
// `withgradient` of the loss with respect to the model, then the optimiser's in-place update. The maths
// runs on whichever device the model was moved to; each batch is moved there too.
import { DataLoader } from "@flux/data";
import { dispose, onecold, onehotbatch, tidy, withgradient } from "@flux/kernels";
import { logitcrossentropy } from "@flux/layers";
/** @import { Tensor } from "@flux/kernels" */
/** @import { LayerLike } from "@flux/layers" */
/** @import { PickedDevice } from "./device.mjs" */

/** @typedef {{ x: Tensor, labels: Int32Array | Uint8Array, n: number }} Split */
/** @typedef {(m: LayerLike, x: Tensor) => Tensor} Forward the model applied to a batch */

const CLASS_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * Trains for one epoch over `loader` (a DataLoader of `[images, labels]`): before each step the learning
 * rate becomes `schedule(t)` (t: the 1-based step over the whole run, `firstStep + 1` for the first batch
 * of this epoch); `onBatch(batchIndex, loss, n)` follows each step. Returns the number of steps taken.
 *
 * @example
 * await trainEpoch({ model, forward, opt, loader, schedule, firstStep: 0, device, onBatch });
 *
 * @param {{ model: LayerLike, forward: Forward, opt: { step(model: unknown, grad: unknown): unknown,
 *   setLearningRate(eta: number): void }, loader: Iterable<unknown>, schedule: (t: number) => number,
 *   firstStep: number, device: PickedDevice, onBatch: (batch: number, loss: number, n: number) => void }} options
 * @returns {Promise<number>}
 */
export async function trainEpoch({ model, forward, opt, loader, schedule, firstStep, device, onBatch }) {
  let i = 0;
  for (const batch of loader) {
    const [images, labels] = /** @type {[Tensor, Int32Array]} */ (batch);
    opt.setLearningRate(schedule(firstStep + i + 1)); // Optimisers.jl's adjust!(state, s(t))
    const x = await device.move(images);
    const y = await device.move(onehotbatch(labels, CLASS_IDS));
    const { val, grad } = tidy(() => withgradient((m) => logitcrossentropy(forward(m, x), y), model));
    opt.step(model, grad[0]);
    const loss = await val.item();
    // The batch's images are the loader's own copy (sliced or augmented), never the dataset itself.
    dispose([images, x, y, val, grad]);
    if (!Number.isFinite(loss))
      throw new Error(`[demo] the loss became ${loss} at step ${firstStep + i + 1}; try a smaller --lr.`);
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
    dispose([images === data.x ? null : images, x, classes]);
  }
  let right = 0;
  for (let i = 0; i < data.n; i++) if (predicted[i] === data.labels[i]) right++;
  return { accuracy: right / data.n, predicted };
}
