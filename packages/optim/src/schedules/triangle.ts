// Triangle waves: the cyclical learning rate of Smith (2017), PyTorch's CyclicLR, as ParameterSchedulers.jl
// has them: `Triangle`, `TriangleDecay2` (amplitude halved each period) and `TriangleExp` (decayed per step).
import { finite, makeSchedule, type Schedule, type WaveOptions, waveOf } from "./schedule.js";

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
  const { range, offset, period } = waveOf(opts, "Triangle");
  return makeSchedule(
    (t) => range * tri(t, period) + offset,
    `Triangle(l0=${opts.l0}, l1=${opts.l1}, period=${period})`,
  );
}

/**
 * A triangle wave whose amplitude halves every period: `|l0 − l1| · tri(t) / 2^⌊(t − 1)/period⌋ + min(l0, l1)`
 * (ParameterSchedulers.jl's `TriangleDecay2`, PyTorch's `CyclicLR(mode="triangular2")`).
 *
 * @example
 * const s = TriangleDecay2({ l0: 0, l1: 1, period: 2 }); // 0, 1, 0, 0.5, 0, 0.25, ...
 */
export function TriangleDecay2(opts: WaveOptions): Schedule {
  const { range, offset, period } = waveOf(opts, "TriangleDecay2");
  return makeSchedule(
    (t) => range * 0.5 ** (Math.ceil(t / period) - 1) * tri(t, period) + offset,
    `TriangleDecay2(l0=${opts.l0}, l1=${opts.l1}, period=${period})`,
  );
}

/**
 * A triangle wave whose amplitude decays by `decay` per iteration: `|l0 − l1| · tri(t) · decay^(t − 1) +
 * min(l0, l1)` (ParameterSchedulers.jl's `TriangleExp`, PyTorch's `CyclicLR(mode="exp_range")`).
 *
 * @example
 * const s = TriangleExp({ l0: 0, l1: 1, period: 2, decay: 0.5 }); // 0, 0.5, 0, 0.125, ...
 */
export function TriangleExp(opts: WaveOptions & { decay: number }): Schedule {
  const { range, offset, period, given } = waveOf(opts, "TriangleExp", ["decay"]);
  const decay = finite(given.decay, "decay", "TriangleExp");
  return makeSchedule(
    (t) => range * decay ** (t - 1) * tri(t, period) + offset,
    `TriangleExp(l0=${opts.l0}, l1=${opts.l1}, period=${period}, decay=${decay})`,
  );
}
