// Sine waves (ParameterSchedulers.jl's `Sin`, `SinDecay2`, `SinExp`): like the triangle waves, smoother.
import type { Schedule, WaveOptions } from "./schedule.js";
import { waveDecay2Schedule, waveExpSchedule, waveSchedule } from "./waves.js";

/** @internal |sin(π(t − 1)/period)|: 0 at t = 1, 1 half a period later. */
function wave(t: number, period: number): number {
  return Math.abs(Math.sin((Math.PI * (t - 1)) / period));
}

/**
 * `s(t) = |l0 − l1| · |sin(π(t − 1)/period)| + min(l0, l1)` (ParameterSchedulers.jl's `Sin`). Half a period
 * of it is a smooth warm-up.
 *
 * @example
 * const s = Sin({ l0: 0, l1: 1, period: 4 }); // 0, 0.7071, 1, 0.7071, 0, ...
 */
export function Sin(opts: WaveOptions): Schedule {
  return waveSchedule("Sin", wave, opts);
}

/**
 * A sine wave whose amplitude halves every period: `|l0 − l1| · Sin(t) / 2^⌊(t − 1)/period⌋ + min(l0, l1)`
 * (ParameterSchedulers.jl's `SinDecay2`).
 *
 * @example
 * const s = SinDecay2({ l0: 0, l1: 1, period: 2 }); // 0, 1, 0, 0.5, ...
 */
export function SinDecay2(opts: WaveOptions): Schedule {
  return waveDecay2Schedule("SinDecay2", wave, opts);
}

/**
 * A sine wave whose amplitude decays by `decay` per iteration: `|l0 − l1| · Sin(t) · decay^(t − 1) +
 * min(l0, l1)` (ParameterSchedulers.jl's `SinExp`).
 *
 * @example
 * const s = SinExp({ l0: 0, l1: 1, period: 2, decay: 0.5 }); // 0, 0.5, 0, 0.125, ...
 */
export function SinExp(opts: WaveOptions & { decay: number }): Schedule {
  return waveExpSchedule("SinExp", wave, opts);
}
