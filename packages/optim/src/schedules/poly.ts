// Poly: polynomial decay to zero over a fixed number of iterations (ParameterSchedulers.jl's `Poly`).
import { argsOf, finite, makeSchedule, positiveInt, type Schedule } from "./schedule.js";

/** Options of `Poly`. */
export interface PolyOptions {
  /** The value at t = 1. */
  start: number;
  /** The polynomial's degree. */
  degree: number;
  /** The number of iterations (the schedule's length; t beyond it throws). */
  maxIter: number;
}

/**
 * `s(t) = start · (1 − (t − 1) / maxIter)^degree` for `t <= maxIter` (ParameterSchedulers.jl's `Poly`, whose
 * code this follows; TensorFlow's PolynomialDecay to 0). A finite schedule: `steps` is `maxIter`.
 *
 * @example
 * const s = Poly(1, 2, 4); // 1, 0.5625, 0.25, 0.0625
 */
export function Poly(start: number, degree: number, maxIter: number): Schedule;
export function Poly(opts: PolyOptions): Schedule;
export function Poly(...args: unknown[]): Schedule {
  const a = argsOf(args, ["start", "degree", "maxIter"], "Poly");
  const start = finite(a.start, "start", "Poly");
  const degree = finite(a.degree, "degree", "Poly");
  const maxIter = positiveInt(a.maxIter, "maxIter", "Poly");
  return makeSchedule(
    (t) => start * (1 - (t - 1) / maxIter) ** degree,
    `Poly(start=${start}, degree=${degree}, maxIter=${maxIter})`,
    maxIter,
  );
}
