// One training epoch and one evaluation pass, in Flux's style: `withgradient` of the loss with respect to
// the model, then the optimiser's in-place update; the maths runs on whichever device the model lives on.
import * as functors from "@flux/functors";
import * as kernels from "@flux/kernels";
import * as layers from "@flux/layers";
import { batchCount, batches } from "./batches.mjs";

const { logsoftmax, mean, mul, neg, onecold, onehotbatch, sum, tensor, tidy, withgradient, isTensor } =
  kernels;
const CLASS_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** Flux's `logitcrossentropy(ŷ, y)`: mean over the batch of `-sum(y .* logsoftmax(ŷ))`. */
export const logitcrossentropy =
  typeof layers.logitcrossentropy === "function"
    ? layers.logitcrossentropy
    : (logits, y) => neg(mean(sum(mul(y, logsoftmax(logits)), { dims: 1 })));

function disposeTree(tree) {
  for (const t of functors.fleaves(tree)) if (isTensor(t) && !t.isDisposed) t.dispose();
}

/**
 * Trains for one epoch; calls `onBatch(batchIndex, loss, n)` after each step (1-based index).
 *
 * @example
 * await trainEpoch({ model, forward, opt, data: train, batchsize: 64, random, device, onBatch });
 */
export async function trainEpoch({ model, forward, opt, data, batchsize, random, device, onBatch }) {
  let i = 0;
  for (const b of batches(data, batchsize, { shuffle: true, random })) {
    const x = await device.move(tensor(b.x, [data.features, b.n]));
    const y = await device.move(onehotbatch(b.labels, CLASS_IDS));
    const { val, grad } = tidy(() => withgradient((m) => logitcrossentropy(forward(m, x), y), model));
    opt.step(model, grad[0]);
    const loss = await val.item();
    disposeTree([x, y, val, grad]);
    if (!Number.isFinite(loss)) {
      throw new Error(`[demo] the loss became ${loss} at step ${i + 1}; try a smaller --lr.`);
    }
    onBatch(++i, loss, b.n);
  }
  return batchCount(data.n, batchsize);
}

/**
 * Predicts every observation of `data`; returns `{ accuracy, predicted }` (predicted: 0-based classes).
 *
 * @example
 * const { accuracy } = await evaluate({ model, forward, data: test, device });
 */
export async function evaluate({ model, forward, data, device, batchsize = 1000 }) {
  const predicted = new Uint8Array(data.n);
  let offset = 0;
  for (const b of batches(data, batchsize)) {
    const x = await device.move(tensor(b.x, [data.features, b.n]));
    const classes = tidy(() => onecold(forward(model, x)));
    predicted.set(await classes.data(), offset);
    offset += b.n;
    disposeTree([x, classes]);
  }
  let right = 0;
  for (let i = 0; i < data.n; i++) if (predicted[i] === data.labels[i]) right++;
  return { accuracy: right / data.n, predicted };
}
