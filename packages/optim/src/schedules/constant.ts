// Constant: the same value at every iteration (ParameterSchedulers.jl's `Constant`).
import { finite, makeSchedule, type Schedule } from "./schedule.js";

/**
 * `s(t) = value` for every `t` (ParameterSchedulers.jl's `Constant(value)`). A plain number in `Sequence`
 * or `train`'s `schedule` means the same.
 *
 * @example
 * Constant(0.01)(1000); // 0.01
 */
export function Constant(value: number): Schedule {
  const v = finite(value, "value", "Constant");
  return makeSchedule(() => v, `Constant(${v})`);
}
