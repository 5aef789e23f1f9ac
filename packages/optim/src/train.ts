// `train(lossFn, model, data, state)`: Flux's `train!` — one gradient and one in-place update per batch.
import { checkNotPromise, fleaves } from "@flux/functors";
import { type Tensor, isTensor, withgradient } from "@flux/kernels";
import { NonFiniteLossError, OptimError } from "./errors.js";
import { isRule } from "./rule.js";
import { type StateTree, tensorsIn } from "./tree.js";
import { updateInPlace } from "./update.js";

/** What `onStep` receives after each update. */
export interface StepInfo {
  /** 0-based index of the batch just used. */
  readonly step: number;
  /** Its loss, read from the device. */
  readonly loss: number;
}

/** Options of `train`. */
export interface TrainOptions {
  /** Called after each step (awaited when it returns a Promise): logging, early stopping by throwing. */
  onStep?: (info: StepInfo) => void | Promise<void>;
}

/** A loss function: the model, then the batch's elements; a scalar tensor or an object with a `loss`. */
export type LossFn<M> = (model: M, ...batch: any[]) => Tensor | { readonly loss: Tensor };

function lossTensor(val: unknown): Tensor {
  const t = isTensor(val) ? val : (val as { loss?: unknown } | null)?.loss;
  if (!isTensor(t)) {
    throw new OptimError(
      "ERR_TRAIN_LOSS",
      "train: lossFn must return a scalar Tensor (or an object with a `loss` Tensor).",
    );
  }
  return t;
}

/**
 * Trains `model` in place over one pass of `data` (Flux's `train!`): for each batch, the loss
 * `lossFn(model, ...batch)` and its gradient (kernels' `withgradient`), then `updateInPlace(state, model,
 * grad)`. A batch that is an array is spread into `lossFn`'s arguments (Julia's tuple splatting); any other
 * batch is passed as one argument. `data` may be sync or async iterable (a DataLoader is both).
 *
 * Each step reads its loss (`await`, so it works on GPUs); a NaN or infinite loss skips that update and
 * throws `NonFiniteLossError` naming the 0-based step. Every tensor made by a step (loss, gradients,
 * temporaries) is freed before the next one. `state` must come from `setup(rule, model)`.
 *
 * @example
 * const state = setup(Adam(0.01), model);
 * await train((m, x, y) => mse(predict(m, x), y), model, [[x, y]], state, {
 *   onStep: ({ step, loss }) => console.log(step, loss),
 * });
 */
export async function train<M>(
  lossFn: LossFn<M>,
  model: M,
  data: Iterable<unknown> | AsyncIterable<unknown>,
  state: StateTree,
  options: TrainOptions = {},
): Promise<void> {
  checkNotPromise(model, "train", "model");
  if (isRule(state)) {
    throw new OptimError(
      "ERR_TRAIN_STATE",
      `train: the 4th argument is the rule ${String(state)}; pass its state instead: train(lossFn, model, data, setup(rule, model)).`,
    );
  }
  let step = 0;
  for await (const batch of data) {
    const args = (Array.isArray(batch) ? batch : [batch]) as never[];
    const { val, grad } = withgradient((m: M) => lossFn(m, ...args), model);
    // Tensors the step must not free: the model's and the batch's own.
    const inputs = new Set<unknown>([...fleaves(model), ...fleaves(args)]);
    const made = new Set<Tensor>([...tensorsIn(val), ...tensorsIn(grad)].filter((t) => !inputs.has(t)));
    let loss: number;
    try {
      loss = await lossTensor(val).item();
      if (!Number.isFinite(loss)) throw new NonFiniteLossError(step, loss);
      updateInPlace(state, model, grad[0]);
    } finally {
      for (const t of made) t.dispose();
    }
    await options.onStep?.({ step, loss });
    step++;
  }
}
