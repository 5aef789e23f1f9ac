// Warmup: ramp up to a schedule's first value, then run the schedule (ParameterSchedulers.jl's warm-up
// tutorial: `Sequence(Triangle(l0 = start, l1 = peak, period = 2 * warmup) => warmup, schedule => ...)`).
import { Sequence } from "./sequence.js";
import {
  asSchedule,
  finite,
  positiveInt,
  type Schedule,
  ScheduleError,
  type ScheduleLike,
} from "./schedule.js";
import { Sin } from "./sin.js";
import { Triangle } from "./triangle.js";

/** Options of `Warmup`. */
export interface WarmupOptions {
  /** Iterations of the ramp; the schedule then starts at its own t = 1. */
  steps: number;
  /** The value at t = 1 (default 0). */
  start?: number;
  /** Where the ramp heads (default: the schedule's first value, `schedule(1)`). */
  peak?: number;
  /** `"linear"` (half a `Triangle` period, the default) or `"sin"` (half a `Sin` period). */
  shape?: "linear" | "sin";
}

/**
 * Ramps from `start` towards `peak` over `steps` iterations, then runs `schedule` from its t = 1: the
 * tutorial's `WarmupLinear` (half a `Triangle` period) or `WarmupSin` (half a `Sin` period), which are
 * `Sequence([Triangle({ l0: start, l1: peak, period: 2 * steps }), steps], [schedule, ...])`.
 *
 * @example
 * const s = Warmup(CosAnneal({ l0: 1e-3, l1: 1e-5, period: 9000, restart: false }), { steps: 469 });
 */
export function Warmup(schedule: ScheduleLike, opts: WarmupOptions): Schedule {
  const s = asSchedule(schedule, "Warmup");
  if (opts === null || typeof opts !== "object")
    throw new ScheduleError("Warmup: pass the options Warmup(schedule, { steps, start?, peak?, shape? }).");
  const steps = positiveInt(opts.steps, "steps", "Warmup");
  const start = finite(opts.start ?? 0, "start", "Warmup");
  const peak = finite(opts.peak ?? s(1), "peak", "Warmup");
  const shape = opts.shape ?? "linear";
  if (shape !== "linear" && shape !== "sin")
    throw new ScheduleError(`Warmup: shape is "linear" or "sin", got ${String(shape)}.`);
  if (start > peak) throw new ScheduleError(`Warmup: ramps up, but start ${start} is above peak ${peak}.`);
  const ramp = (shape === "sin" ? Sin : Triangle)({ l0: start, l1: peak, period: 2 * steps });
  // The last stage's length only matters for a finite schedule (Sequence then ends with it).
  return Sequence([ramp, steps], [s, Number.isFinite(s.steps) ? s.steps : 1]);
}
