// Triangle waves: the cyclical learning rate of Smith (2017), PyTorch's CyclicLR, as ParameterSchedulers.jl
// has them: `Triangle`, `TriangleDecay2` (amplitude halved each period) and `TriangleExp` (decayed per step).
import type { Schedule, WaveOptions } from "./schedule.js";
import { waveDecay2Schedule, waveExpSchedule, waveSchedule } from "./waves.js";

/** @internal The unit triangle wave, 0 at t = 1, 1 half a period later: (2/π)·|asin(sin(π(t−1)/period))|. */
export function tri(t: number, period: number): number {
  return (2 / Math.PI) * Math.abs(Math.asin(Math.sin((Math.PI * (t - 1)) / period)));
}

/**
 * `s(t) = |l0 − l1| · (2/π)·|asin(sin(π(t − 1)/period))| + min(l0, l1)`: from the lower end at t = 1 up to
 * the upper end at `t = 1 + period/2` and back, every `period` iterations (ParameterSchedulers.jl's
 * `Triangle`; PyTorch's `CyclicLR(mode="triangular")` with `step_size = period/2`). Half a period of it is
 * a linear warm-up.
 *
 * @example
 * const s = Triangle({ l0: 0, l1: 1, period: 4 }); // 0, 0.5, 1, 0.5, 0, 0.5, ...
 */
export function Triangle(opts: WaveOptions): Schedule {
  return waveSchedule("Triangle", tri, opts);
}

/**
 * A triangle wave whose amplitude halves every period: `|l0 − l1| · tri(t) / 2^⌊(t − 1)/period⌋ + min(l0, l1)`
 * (ParameterSchedulers.jl's `TriangleDecay2`, PyTorch's `CyclicLR(mode="triangular2")`).
 *
 * @example
 * const s = TriangleDecay2({ l0: 0, l1: 1, period: 2 }); // 0, 1, 0, 0.5, 0, 0.25, ...
 */
export function TriangleDecay2(opts: WaveOptions): Schedule {
  return waveDecay2Schedule("TriangleDecay2", tri, opts);
}

/**
 * A triangle wave whose amplitude decays by `decay` per iteration: `|l0 − l1| · tri(t) · decay^(t − 1) +
 * min(l0, l1)` (ParameterSchedulers.jl's `TriangleExp`, PyTorch's `CyclicLR(mode="exp_range")`).
 *
 * @example
 * const s = TriangleExp({ l0: 0, l1: 1, period: 2, decay: 0.5 }); // 0, 0.5, 0, 0.125, ...
 */
export function TriangleExp(opts: WaveOptions & { decay: number }): Schedule {
  return waveExpSchedule("TriangleExp", tri, opts);
}
