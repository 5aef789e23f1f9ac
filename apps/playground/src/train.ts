// Training and evaluation in Flux's style: a DataLoader over (images, labels), `withgradient` of the loss
// with respect to the model, Adam's in-place update. Each batch is moved to the model's device.
import { DataLoader } from "@flux/data";
import type { Device } from "@flux/devices";
import {
  dispose,
  type Rng,
  type Tensor,
  onecold,
  onehotbatch,
  tensorsIn,
  tidy,
  withgradient,
} from "@flux/kernels";
import { type Chain, logitcrossentropy } from "@flux/layers";
import { Adam, setup, updateInPlace } from "@flux/optim";
import type { Split } from "./data.js";

const CLASS_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** One finished training step. */
export interface StepReport {
  /** 1-based step number. */
  readonly step: number;
  /** The mini-batch's mean logit cross-entropy. */
  readonly loss: number;
  /** Observations in the mini-batch. */
  readonly n: number;
  /** Wall time of the step, read-back of the loss included. */
  readonly ms: number;
}

/** The loss became NaN or infinite: training cannot go on with these settings. */
export class NonFiniteLossError extends Error {
  readonly code = "ERR_PLAYGROUND_NONFINITE_LOSS";
  override readonly name = "NonFiniteLossError";
}

function disposeAll(tree: unknown, keep: Tensor): void {
  dispose(tensorsIn(tree).filter((t) => t !== keep));
}

/** Everything a run needs. */
export interface TrainOptions {
  readonly model: Chain;
  readonly device: Device;
  readonly data: Split;
  readonly steps: number;
  readonly batchsize: number;
  readonly lr: number;
  readonly rng: Rng;
}

/**
 * Trains `model` in place for `steps` mini-batches (reshuffling each epoch), yielding after every step so
 * the page can draw; breaking out of the loop stops training after the current step.
 *
 * @example
 * for await (const s of trainSteps({ model, device, data: train, steps: 50, batchsize: 64, lr: 1e-3, rng: rng(1) }))
 *   console.log(s.step, s.loss);
 */
export async function* trainSteps(opts: TrainOptions): AsyncGenerator<StepReport> {
  const { model, device, data, steps, batchsize } = opts;
  const state = setup(Adam(opts.lr), model); // Optimisers.setup(Adam(lr), model)
  const loader = DataLoader([data.x, data.labels], { batchsize, shuffle: true, rng: opts.rng });
  let step = 0;
  try {
    while (step < steps) {
      for (const [images, labels] of loader as Iterable<[Tensor, Int32Array]>) {
        if (step >= steps) break;
        const t0 = performance.now();
        const x = await device(images);
        const y = await device(onehotbatch(labels, CLASS_IDS));
        const { val, grad } = tidy(() =>
          withgradient((m: Chain) => logitcrossentropy(m.forward(x), y), model),
        );
        updateInPlace(state, model, grad[0]);
        const loss = await val.item();
        disposeAll([images, x, y, val, grad], data.x);
        if (!Number.isFinite(loss))
          throw new NonFiniteLossError(
            `[@flux-apps/playground] the loss became ${loss} at step ${step + 1}; lower the learning rate (?lr=).`,
          );
        step += 1;
        yield { step, loss, n: labels.length, ms: performance.now() - t0 };
      }
    }
  } finally {
    disposeAll(state, data.x);
  }
}

/**
 * Predicts every image of `data` with `model` on `device`; returns the 0-based classes and the accuracy.
 *
 * @example
 * const { accuracy, predicted } = await evaluate(model, device, test);
 */
export async function evaluate(
  model: Chain,
  device: Device,
  data: Split,
  batchsize = 500,
): Promise<{ accuracy: number; predicted: Int32Array }> {
  const predicted = new Int32Array(data.n);
  let offset = 0;
  for (const images of DataLoader(data.x, { batchsize }) as Iterable<Tensor>) {
    const x = await device(images);
    const classes = tidy(() => onecold(model.forward(x)));
    predicted.set(await classes.data(), offset);
    offset += classes.size;
    disposeAll([images, x, classes], data.x);
  }
  let right = 0;
  for (let i = 0; i < data.n; i++) if (predicted[i] === data.labels[i]) right++;
  return { accuracy: right / data.n, predicted };
}
