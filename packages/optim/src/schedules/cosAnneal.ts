// CosAnneal: cosine annealing, with warm restarts by default (SGDR, Loshchilov & Hutter 2017), as
// ParameterSchedulers.jl's `CosAnneal`.
import { makeSchedule, type Schedule, ScheduleError, type WaveOptions, waveOf } from "./schedule.js";

/** Options of `CosAnneal`. */
export interface CosAnnealOptions extends WaveOptions {
  /** Start again from the top every `period` iterations (default true); false: one cosine, continued. */
  restart?: boolean;
}

/**
 * `s(t) = |l0 − l1| · (1 + cos(π·t̂/period)) / 2 + min(l0, l1)` with `t̂ = (t − 1) mod period` (warm
 * restarts, the default) or `t̂ = t − 1` (`restart: false`): from the upper end at t = 1 down towards the
 * lower end (ParameterSchedulers.jl's `CosAnneal`; PyTorch's `CosineAnnealingLR(T_max = period, eta_min)`
 * with `restart: false`, `CosineAnnealingWarmRestarts(T_0 = period)` with restarts).
 *
 * @example
 * const s = CosAnneal({ l0: 1, l1: 0, period: 4 }); // 1, 0.8536, 0.5, 0.1464, 1, 0.8536, ...
 * const once = CosAnneal({ l0: 1e-3, l1: 1e-5, period: 9380, restart: false });
 */
export function CosAnneal(opts: CosAnnealOptions): Schedule {
  const { range, offset, period, given } = waveOf(opts, "CosAnneal", ["restart"]);
  const restart = given.restart ?? true;
  if (typeof restart !== "boolean")
    throw new ScheduleError(`CosAnneal: restart must be true or false, got ${String(restart)}.`);
  return makeSchedule(
    (t) => {
      const u = restart ? (((t - 1) % period) + period) % period : t - 1;
      return (range * (1 + Math.cos((Math.PI * u) / period))) / 2 + offset;
    },
    `CosAnneal(l0=${opts.l0}, l1=${opts.l1}, period=${period}${restart ? "" : ", restart=false"})`,
  );
}
