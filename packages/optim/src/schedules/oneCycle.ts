// OneCycle: warm up along a half cosine, then anneal along another (Smith & Topin 2017, "super-convergence";
// ParameterSchedulers.jl's `OneCycle`, PyTorch's OneCycleLR with cosine annealing).
import { Shifted, Shortened } from "./combinators.js";
import { CosAnneal } from "./cosAnneal.js";
import { finite, positiveInt, type Schedule, ScheduleError } from "./schedule.js";
import { Sequence } from "./sequence.js";

/** Options of `OneCycle` (ParameterSchedulers.jl's keywords and defaults). */
export interface OneCycleOptions {
  /** The value at t = 1 (default `maxval / 25`). */
  startval?: number;
  /** The value at the last iteration's end (default `maxval / 1e5`). */
  endval?: number;
  /** The fraction of `nsteps` spent warming up (default 0.25), in (0, 1). */
  percentStart?: number;
}

/**
 * A one-cycle cosine schedule over `nsteps` iterations: up from `startval` to `maxval` along a half cosine
 * for `⌈percentStart · nsteps⌉` iterations, then down to `endval` along another (ParameterSchedulers.jl's
 * `OneCycle(nsteps, maxval; startval, endval, percent_start)`, built the same way from `Sequence`,
 * `Shifted`, `Shortened` and `CosAnneal`). Finite: `t > nsteps` throws.
 *
 * @example
 * const s = OneCycle(10 * 469, 3e-3); // 10 epochs of 469 batches, peaking at 3e-3
 */
export function OneCycle(nsteps: number, maxval: number, opts: OneCycleOptions = {}): Schedule {
  const n = positiveInt(nsteps, "nsteps", "OneCycle");
  const max = finite(maxval, "maxval", "OneCycle");
  const startval = finite(opts.startval ?? max / 25, "startval", "OneCycle");
  const endval = finite(opts.endval ?? max / 1e5, "endval", "OneCycle");
  const p = finite(opts.percentStart ?? 0.25, "percentStart", "OneCycle");
  if (!(p > 0 && p < 1)) throw new ScheduleError(`OneCycle: percentStart must be in (0, 1), got ${p}.`);
  const warmup = Math.ceil(n * p);
  const warmdown = n - warmup;
  if (warmdown < 1)
    throw new ScheduleError(`OneCycle: ${n} iterations leave none after a ${warmup}-iteration warm-up.`);
  return Sequence(
    [Shifted(CosAnneal({ l0: max, l1: startval, period: warmup, restart: false }), warmup + 1), warmup],
    [Shortened(CosAnneal({ l0: max, l1: endval, period: warmdown, restart: false }), warmdown), warmdown],
  );
}
