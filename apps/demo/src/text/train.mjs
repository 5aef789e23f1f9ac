// The text job's training loop, in Flux's style: sample a batch of windows, `withgradient` of the mean
// cross-entropy per character, the optimiser's in-place update; the learning rate warms up linearly and
// then follows a cosine down to a tenth, set with `adjustInPlace` each step. The loop stops at a step count
// or a time budget, whichever comes first.
import { dispose, onehotbatch, tidy, withgradient } from "@flux/kernels";
import { logitcrossentropy } from "@flux/layers";
import { AdamW, ClipNorm, OptimiserChain, adjustInPlace, setup, updateInPlace } from "@flux/optim";
import { sampleBatch } from "./batches.mjs";
/** @import { Rng, Tensor } from "@flux/kernels" */
/** @import { PickedDevice } from "../device.mjs" */

/**
 * The learning rate at `step` (1-based) of `total`: linear warm-up over `warmup` steps, then a cosine from
 * `peak` down to `peak / 10`.
 *
 * @param {number} step @param {number} total @param {number} peak @param {number} warmup
 */
export function learningRateAt(step, total, peak, warmup) {
  if (step <= warmup) return (peak * step) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
  const floor = peak / 10;
  return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
}

/**
 * Mean cross-entropy per character (nats) of `model` on `batches` (`{ x, y }` token grids).
 *
 * @param {{ forward(ids: Int32Array, time: number): Tensor }} model
 * @param {{ x: Int32Array, y: Int32Array }[]} batches
 * @param {number} context
 * @param {readonly number[]} classes
 * @param {PickedDevice} device
 */
export async function validationLoss(model, batches, context, classes, device) {
  let total = 0;
  for (const { x, y } of batches) {
    const target = await device.move(onehotbatch(y, classes));
    const loss = tidy(() => logitcrossentropy(model.forward(x, context), target));
    total += await loss.item();
    dispose([target, loss]);
  }
  return total / batches.length;
}

/**
 * Trains `model` in place. `onStep(step, loss, lr)` sees every step; `onEval(step)` is awaited every
 * `evalEvery` steps and may return `"stop"`. Returns the number of steps taken.
 *
 * @param {{ model: { forward(ids: Int32Array, time: number): Tensor }, tokens: Int32Array, context: number,
 *   batchsize: number, classes: readonly number[], device: PickedDevice, rng: Rng, lr: number,
 *   warmup: number, maxSteps: number, seconds: number, evalEvery: number,
 *   onStep: (step: number, loss: number, lr: number, total: number) => void,
 *   onEval: (step: number) => Promise<unknown> }} o
 */
export async function trainText(o) {
  const rule = OptimiserChain(ClipNorm(1), AdamW(o.lr, [0.9, 0.99], 0.01));
  const state = setup(rule, o.model);
  const started = performance.now();
  // The schedule needs the total step count; under a time budget it is re-estimated from the pace so far.
  let total = o.maxSteps;
  let step = 0;
  while (step < total) {
    step++;
    const lr = learningRateAt(step, total, o.lr, o.warmup);
    adjustInPlace(state, { eta: lr });
    const { x, y } = sampleBatch(o.tokens, o.context, o.batchsize, o.rng);
    const target = await o.device.move(onehotbatch(y, o.classes));
    const { val, grad } = withgradient((m) => logitcrossentropy(m.forward(x, o.context), target), o.model);
    updateInPlace(state, o.model, grad[0]);
    const loss = await val.item();
    dispose([target, val, grad]);
    if (!Number.isFinite(loss))
      throw new Error(`[demo] the loss became ${loss} at step ${step}; try a smaller --lr.`);
    const elapsed = (performance.now() - started) / 1000;
    if (step >= 10 && o.seconds > 0) {
      const pace = Math.floor((o.seconds / elapsed) * step);
      total = Math.max(step, Math.min(o.maxSteps, pace));
    }
    o.onStep(step, loss, lr, total);
    if (step % o.evalEvery === 0 || step === total) {
      if ((await o.onEval(step)) === "stop") break;
    }
  }
  dispose(state);
  return step;
}
