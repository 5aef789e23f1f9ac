// Exp: exponential decay per iteration (ParameterSchedulers.jl's `Exp`, PyTorch's ExponentialLR).
import { argsOf, finite, makeSchedule, type Schedule } from "./schedule.js";

/** Options of `Exp`. */
export interface ExpOptions {
  /** The value at t = 1. */
  start: number;
  /** The factor per iteration. */
  decay: number;
}

/**
 * `s(t) = start · decay^(t − 1)` (ParameterSchedulers.jl's `Exp`).
 *
 * @example
 * const s = Exp(0.1, 0.5); // 0.1, 0.05, 0.025, ...
 * Exp({ start: 1e-3, decay: 0.9 });
 */
export function Exp(start: number, decay: number): Schedule;
export function Exp(opts: ExpOptions): Schedule;
export function Exp(...args: unknown[]): Schedule {
  const a = argsOf(args, ["start", "decay"], "Exp");
  const start = finite(a.start, "start", "Exp");
  const decay = finite(a.decay, "decay", "Exp");
  return makeSchedule((t) => start * decay ** (t - 1), `Exp(start=${start}, decay=${decay})`);
}
