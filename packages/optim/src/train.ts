// `train(lossFn, model, data, state)`: Flux's `train!` — one gradient and one in-place update per batch.
import { checkNotPromise, fleaves } from "@flux/functors";
import { type Tensor, isTensor, tensorsIn, withgradient } from "@flux/kernels";
import { adjustInPlace } from "./adjust.js";
import { NonFiniteLossError, OptimError } from "./errors.js";
import { isRule } from "./rule.js";
import { asSchedule, type Schedule, type ScheduleLike } from "./schedules/schedule.js";
import type { StateTree } from "./tree.js";
import { updateInPlace } from "./update.js";

/** What `onStep` receives after each update. */
export interface StepInfo {
  /** 0-based index of the step just taken, counted over the whole run (a resumed run goes on counting). */
  readonly step: number;
  /** 0-based index of the epoch it belongs to. */
  readonly epoch: number;
  /** 0-based index of the batch within the epoch. */
  readonly batch: number;
  /** Its loss, read from the device. */
  readonly loss: number;
  /** Ends training after this step (the same as returning `"stop"`). */
  stop(): void;
}

/** What `onEpoch` receives after each complete pass over the data. */
export interface EpochInfo {
  /** 0-based index of the epoch just finished. */
  readonly epoch: number;
  /** Steps taken so far over the whole run (= the next step's 0-based index). */
  readonly step: number;
  /** The mean of this epoch's step losses. */
  readonly loss: number;
  /** Ends training after this epoch (the same as returning `"stop"`). */
  stop(): void;
}

/** What a callback may return: `"stop"` ends training (early stopping); anything else carries on. */
// biome-ignore lint/suspicious/noConfusingVoidType: a callback with no return statement returns void
export type CallbackResult = void | "stop" | Promise<void | "stop">;

/** Where a resumed run starts: the counts a checkpoint saved (`loadCheckpoint`'s result fits). */
export interface TrainProgress {
  /** Steps already taken. */
  readonly step: number;
  /** Epochs already completed. */
  readonly epoch: number;
}

/** What `train` returns: how far it got. Save it with the model to resume later. */
export interface TrainResult extends TrainProgress {
  /** Whether a callback stopped training before the last epoch ended. */
  readonly stopped: boolean;
}

/** Options of `train`. */
export interface TrainOptions {
  /** Passes over `data` (default 1, Flux's `train!`). More than one needs re-iterable data (a DataLoader, an array). */
  epochs?: number;
  /**
   * Hyper-parameters set before each step (or epoch) from schedules of the 1-based iteration `t`
   * (ParameterSchedulers.jl's convention): one schedule or number sets the learning rate `eta`; an object
   * sets each named field (`{ eta: CosAnneal(...), lambda: 1e-4 }`), through `adjustInPlace`.
   */
  schedule?: ScheduleLike | Readonly<Record<string, ScheduleLike>>;
  /** `"step"` (default): `t` is the step over the whole run, plus 1; `"epoch"`: `t` is the epoch, plus 1. */
  scheduleUnit?: "step" | "epoch";
  /**
   * Continue a run saved at the end of an epoch: skip the `epoch` epochs already done and count steps (and
   * schedules) on from `step`. Pass what `loadCheckpoint` returns.
   */
  resume?: TrainProgress;
  /** Called after each step (awaited when it returns a Promise); return `"stop"` (or call `info.stop()`) to end training. */
  onStep?: (info: StepInfo) => CallbackResult;
  /** Called after each epoch (awaited when it returns a Promise); return `"stop"` (or call `info.stop()`) to end training. */
  onEpoch?: (info: EpochInfo) => CallbackResult;
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

function count(x: unknown, what: string, min: number): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min)
    throw new OptimError(
      "ERR_TRAIN_OPTIONS",
      `train: ${what} must be a whole number >= ${min}, got ${String(x)}.`,
    );
  return x;
}

/** The schedules of `options.schedule` by hyper-parameter name (a bare schedule or number is `eta`'s). */
function schedulesOf(schedule: TrainOptions["schedule"]): [string, Schedule][] {
  if (schedule === undefined) return [];
  if (typeof schedule === "number" || typeof schedule === "function")
    return [["eta", asSchedule(schedule, "train's schedule")]];
  if (schedule === null || typeof schedule !== "object")
    throw new OptimError(
      "ERR_TRAIN_OPTIONS",
      "train: schedule is a schedule, a number, or { hyperParameter: schedule }.",
    );
  return Object.entries(schedule).map(([k, v]) => [k, asSchedule(v, `train's schedule.${k}`)]);
}

/** A value's kind for messages: `number 5`, `an object (Object)`, `null`. */
function typeName(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "no prototype"})`;
  return `${typeof x} ${String(x).slice(0, 40)}`;
}

function isIterableData(x: unknown): boolean {
  if (x === null || x === undefined) return false;
  if (typeof x !== "object" && typeof x !== "function" && typeof x !== "string") return false;
  const o = x as Record<symbol | string, unknown>;
  return (
    typeof o[Symbol.iterator] === "function" ||
    typeof o[Symbol.asyncIterator] === "function" ||
    typeof o.next === "function"
  );
}

/**
 * Trains `model` in place over `data` (Flux's `train!`, plus epochs, schedules, callbacks and resuming): for
 * each batch, the loss `lossFn(model, ...batch)` and its gradient (kernels' `withgradient`), then
 * `updateInPlace(state, model, grad)`. A batch that is an array is spread into `lossFn`'s arguments
 * (Julia's tuple splatting); any other batch is passed as one argument. `data` may be sync or async
 * iterable (a DataLoader is both); with `epochs` > 1 it is iterated once per epoch.
 *
 * Each step reads its loss (`await`, so it works on GPUs); a NaN or infinite loss skips that update and
 * throws `NonFiniteLossError` naming the 0-based step. Every tensor made by a step (loss, gradients,
 * temporaries) is freed before the next one. `state` must come from `setup(rule, model)`.
 *
 * `schedule` sets the learning rate (or other hyper-parameters) before every step from a schedule of the
 * 1-based step (`Exp`, `CosAnneal`, `OneCycle`...; `scheduleUnit: "epoch"`: of the 1-based epoch). `onStep`
 * and `onEpoch` run after each step and epoch; either may stop training early by returning `"stop"` or
 * calling `info.stop()`. `resume: { step, epoch }` (e.g. a loaded checkpoint) continues a run: epochs
 * `epoch + 1 ..` of `epochs`, with steps and schedules counted on from `step`. Returns `{ step, epoch,
 * stopped }`: the steps and whole epochs done so far, ready for `saveCheckpoint`.
 *
 * @example
 * const state = setup(Adam(0.01), model);
 * await train((m, x, y) => mse(predict(m, x), y), model, loader, state, {
 *   epochs: 10,
 *   schedule: CosAnneal({ l0: 0.01, l1: 1e-4, period: 10 * loader.length, restart: false }),
 *   onEpoch: async ({ epoch, step, loss }) => {
 *     await saveCheckpoint("run.safetensors", { model, optState: state, step, epoch: epoch + 1 });
 *     if (loss < 1e-3) return "stop";
 *   },
 * });
 */
export async function train<M>(
  lossFn: LossFn<M>,
  model: M,
  data: Iterable<unknown> | AsyncIterable<unknown>,
  state: StateTree,
  options: TrainOptions = {},
): Promise<TrainResult> {
  checkNotPromise(model, "train", "model");
  if (typeof lossFn !== "function")
    throw new OptimError(
      "ERR_TRAIN_LOSS",
      `train: the 1st argument must be the loss function (model, ...batch) => scalar tensor, got ${typeName(lossFn)}; ` +
        "e.g. train((m, x, y) => mse(apply(m, x), y), model, data, state).",
    );
  if (!isIterableData(data))
    throw new OptimError(
      "ERR_TRAIN_DATA",
      `train: data must be iterable or async iterable (a DataLoader, an array of batches, a generator), got ${typeName(data)}; ` +
        "for one batch write [batch].",
    );
  if (isRule(state)) {
    throw new OptimError(
      "ERR_TRAIN_STATE",
      `train: the 4th argument is the rule ${String(state)}; pass its state instead: train(lossFn, model, data, setup(rule, model)).`,
    );
  }
  const epochs = count(options.epochs ?? 1, "epochs", 1);
  const resume = options.resume;
  let step = resume === undefined ? 0 : count(resume.step, "resume.step", 0);
  const firstEpoch = resume === undefined ? 0 : count(resume.epoch, "resume.epoch", 0);
  if (firstEpoch > epochs)
    throw new OptimError(
      "ERR_TRAIN_OPTIONS",
      `train: resume.epoch is ${firstEpoch}, past epochs = ${epochs}.`,
    );
  const schedules = schedulesOf(options.schedule);
  const unit = options.scheduleUnit ?? "step";
  if (unit !== "step" && unit !== "epoch")
    throw new OptimError(
      "ERR_TRAIN_OPTIONS",
      `train: scheduleUnit is "step" or "epoch", got ${String(unit)}.`,
    );
  const isIterator = typeof (data as { next?: unknown }).next === "function";
  if (isIterator && epochs - firstEpoch > 1)
    throw new OptimError(
      "ERR_TRAIN_DATA",
      "train: data is an iterator (e.g. a generator), which only runs once; for several epochs pass something iterable again (a DataLoader, an array).",
    );
  // The values last set, so that an unchanged schedule value costs no adjust.
  const applied = new Map<string, number>();
  const setHyper = (t: number): void => {
    const changes: Record<string, number> = {};
    for (const [name, s] of schedules) {
      const v = s(t);
      if (applied.get(name) !== v) changes[name] = v;
      applied.set(name, v);
    }
    if (Object.keys(changes).length > 0) adjustInPlace(state, changes);
  };
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  let epoch = firstEpoch;
  for (; epoch < epochs && !stopped; epoch++) {
    if (unit === "epoch") setHyper(epoch + 1);
    let batchIndex = 0;
    let lossSum = 0;
    for await (const batch of data) {
      if (unit === "step") setHyper(step + 1);
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
      lossSum += loss;
      const said = await options.onStep?.({ step, epoch, batch: batchIndex, loss, stop });
      step++;
      batchIndex++;
      if (said === "stop") stopped = true;
      if (stopped) break;
    }
    if (stopped) break;
    const said = await options.onEpoch?.({ epoch, step, loss: lossSum / Math.max(batchIndex, 1), stop });
    if (said === "stop") stopped = true;
  }
  // `epoch` counts the epochs completed: a stop inside an epoch leaves it uncounted.
  return { step, epoch, stopped: stopped && epoch < epochs };
}
