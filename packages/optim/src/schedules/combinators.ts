// Schedules made from schedules (ParameterSchedulers.jl's complex.jl): `Loop`, `Interpolator`, `Shifted`,
// `Shortened`.
import {
  asSchedule,
  finite,
  makeSchedule,
  positiveInt,
  type Schedule,
  ScheduleError,
  type ScheduleLike,
} from "./schedule.js";

/**
 * Repeats the first `period` iterations of `f` forever: `s(t) = f(mod1(t, period))` (ParameterSchedulers.jl's
 * `Loop`), e.g. any custom cyclical schedule.
 *
 * @example
 * const saw = Loop((t) => t / 10, 10); // 0.1, 0.2, ..., 1, 0.1, 0.2, ...
 */
export function Loop(f: ScheduleLike, period: number): Schedule {
  const s = asSchedule(f, "Loop");
  const p = positiveInt(period, "period", "Loop");
  return makeSchedule((t) => s(((((t - 1) % p) + p) % p) + 1), `Loop(${String(s)}, period=${p})`);
}

/**
 * `s(t) = schedule(ceilFn(t / rate))` (ParameterSchedulers.jl's `Interpolator`): a schedule written in
 * epochs, read per mini-batch with `rate` batches per epoch.
 *
 * @example
 * const perBatch = Interpolator(Step(1e-3, 0.5, 3), 469); // halves every 3 epochs of 469 batches
 */
export function Interpolator(
  schedule: ScheduleLike,
  rate: number,
  ceilFn: (x: number) => number = Math.ceil,
): Schedule {
  const s = asSchedule(schedule, "Interpolator");
  const r = finite(rate, "rate", "Interpolator");
  if (!(r > 0)) throw new ScheduleError(`Interpolator: rate must be > 0, got ${r}.`);
  return makeSchedule((t) => s(ceilFn(t / r)), `Interpolator(${String(s)}, rate=${r})`, s.steps * r);
}

/**
 * `schedule` started at its iteration `offset`: `s(t) = schedule(t − 1 + offset)` (ParameterSchedulers.jl's
 * `Shifted`), e.g. a triangle wave started at its peak.
 *
 * @example
 * const fromPeak = Shifted(Triangle({ l0: 0, l1: 1, period: 10 }), 6); // 1, 0.8, 0.6, ...
 */
export function Shifted(schedule: ScheduleLike, offset: number): Schedule {
  const s = asSchedule(schedule, "Shifted");
  const o = finite(offset, "offset", "Shifted");
  return makeSchedule((t) => s(t - 1 + o), `Shifted(${String(s)}, ${o})`, s.steps - o + 1);
}

/**
 * `schedule` limited to its first `steps` iterations (ParameterSchedulers.jl's `Shortened`): a later `t`
 * throws `ScheduleError`.
 *
 * @example
 * Shortened(Exp(1, 0.5), 3).steps; // 3
 */
export function Shortened(schedule: ScheduleLike, steps: number): Schedule {
  const s = asSchedule(schedule, "Shortened");
  const n = positiveInt(steps, "steps", "Shortened");
  return makeSchedule((t) => s(t), `Shortened(${String(s)}, ${n})`, n);
}
