// Step: decay by a factor at every boundary (ParameterSchedulers.jl's `Step`, PyTorch's StepLR/MultiStepLR).
import { argsOf, finite, makeSchedule, positiveInt, type Schedule, ScheduleError } from "./schedule.js";

/** Options of `Step`. */
export interface StepOptions {
  /** The value before the first boundary. */
  start: number;
  /** The factor applied at each boundary. */
  decay: number;
  /** The length of each interval: one number (repeated forever) or one per interval. */
  stepSizes: number | readonly number[];
}

/**
 * `s(t) = start · decay^i` where `i` is the number of intervals that end before `t`: with `stepSizes` a
 * number `n`, `i = ⌈t / n⌉ − 1`; with a list, `sum(stepSizes[0..i−1]) < t <= sum(stepSizes[0..i])`, and
 * after the last interval `i` stays at the list's length (ParameterSchedulers.jl's `Step`).
 *
 * @example
 * const s = Step(1, 0.5, 3);   // 1, 1, 1, 0.5, 0.5, 0.5, 0.25, ...
 * Step({ start: 1, decay: 0.1, stepSizes: [2, 3] }); // 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, ...
 */
export function Step(start: number, decay: number, stepSizes: number | readonly number[]): Schedule;
export function Step(opts: StepOptions): Schedule;
export function Step(...args: unknown[]): Schedule {
  const a = argsOf(args, ["start", "decay", "stepSizes"], "Step");
  const start = finite(a.start, "start", "Step");
  const decay = finite(a.decay, "decay", "Step");
  const sizes = a.stepSizes;
  if (typeof sizes === "number") {
    const n = positiveInt(sizes, "stepSizes", "Step");
    return makeSchedule(
      (t) => start * decay ** Math.max(0, Math.ceil(t / n) - 1),
      `Step(start=${start}, decay=${decay}, stepSizes=${n})`,
    );
  }
  if (!Array.isArray(sizes) || sizes.length === 0)
    throw new ScheduleError("Step: stepSizes must be a whole number or a non-empty list of them.");
  const list = sizes.map((n: unknown) => positiveInt(n, "each of stepSizes", "Step"));
  return makeSchedule(
    (t) => {
      let i = 0;
      let acc = 0;
      for (const n of list) {
        acc += n;
        if (t > acc) i++;
        else break;
      }
      return start * decay ** i;
    },
    `Step(start=${start}, decay=${decay}, stepSizes=[${list.join(", ")}])`,
  );
}
