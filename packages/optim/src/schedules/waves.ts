// The three schedules ParameterSchedulers.jl builds on one unit wave (a triangle, a sine): the wave itself,
// the wave with its amplitude halved every period (`...Decay2`), and the wave decayed by a factor per
// iteration (`...Exp`). Written once here; triangle.ts and sin.ts give each its name and documentation.
import { finite, makeSchedule, type Schedule, type WaveOptions, waveOf } from "./schedule.js";

/** A unit wave: 0 at t = 1, 1 half a period later, back to 0 after a period. */
export type UnitWave = (t: number, period: number) => number;

/** @internal `|l0 − l1| · wave(t) + min(l0, l1)`, named `name`. */
export function waveSchedule(name: string, wave: UnitWave, opts: WaveOptions): Schedule {
  const { range, offset, period } = waveOf(opts, name);
  return makeSchedule(
    (t) => range * wave(t, period) + offset,
    `${name}(l0=${opts.l0}, l1=${opts.l1}, period=${period})`,
  );
}

/** @internal `|l0 − l1| · wave(t) / 2^⌊(t − 1)/period⌋ + min(l0, l1)`, named `name`. */
export function waveDecay2Schedule(name: string, wave: UnitWave, opts: WaveOptions): Schedule {
  const { range, offset, period } = waveOf(opts, name);
  return makeSchedule(
    (t) => range * 0.5 ** (Math.ceil(t / period) - 1) * wave(t, period) + offset,
    `${name}(l0=${opts.l0}, l1=${opts.l1}, period=${period})`,
  );
}

/** @internal `|l0 − l1| · wave(t) · decay^(t − 1) + min(l0, l1)`, named `name`. */
export function waveExpSchedule(
  name: string,
  wave: UnitWave,
  opts: WaveOptions & { decay: number },
): Schedule {
  const { range, offset, period, given } = waveOf(opts, name, ["decay"]);
  const decay = finite(given.decay, "decay", name);
  return makeSchedule(
    (t) => range * decay ** (t - 1) * wave(t, period) + offset,
    `${name}(l0=${opts.l0}, l1=${opts.l1}, period=${period}, decay=${decay})`,
  );
}
