// Inv: inverse decay (ParameterSchedulers.jl's `Inv`, TensorFlow's InverseTimeDecay).
import { argsOf, finite, makeSchedule, type Schedule } from "./schedule.js";

/** Options of `Inv`. */
export interface InvOptions {
  /** The value at t = 1. */
  start: number;
  /** The decay rate. */
  decay: number;
  /** The degree of decay. */
  degree: number;
}

/**
 * `s(t) = start / (1 + (t − 1) · decay)^degree` (ParameterSchedulers.jl's `Inv`).
 *
 * @example
 * const s = Inv(1, 0.5, 1); // 1, 1/1.5, 1/2, 1/2.5, ...
 */
export function Inv(start: number, decay: number, degree: number): Schedule;
export function Inv(opts: InvOptions): Schedule;
export function Inv(...args: unknown[]): Schedule {
  const a = argsOf(args, ["start", "decay", "degree"], "Inv");
  const start = finite(a.start, "start", "Inv");
  const decay = finite(a.decay, "decay", "Inv");
  const degree = finite(a.degree, "degree", "Inv");
  return makeSchedule(
    (t) => start / (1 + (t - 1) * decay) ** degree,
    `Inv(start=${start}, decay=${decay}, degree=${degree})`,
  );
}
