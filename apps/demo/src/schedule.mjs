// The learning rate per step, as a ParameterSchedulers.jl-style schedule from @flux/optim: `s(t)` for the
// 1-based step t over the whole run.
import { Constant, CosAnneal, Interpolator, OneCycle, Step, Warmup } from "@flux/optim";
/** @import { Schedule } from "@flux/optim" */

/**
 * The schedule `--schedule name` names, for `epochs` epochs of `stepsPerEpoch` steps peaking at `lr`:
 *
 * - `cosine`: a linear warm-up from 0 over the first epoch, then one cosine down to lr/100 at the end
 *   (`Warmup(CosAnneal(...))`);
 * - `onecycle`: `OneCycle(steps, lr)` (a quarter of the run up from lr/25, then down to lr/1e5);
 * - `step`: lr for three epochs, then ×0.7 per epoch (`Interpolator(Step(...), stepsPerEpoch)`);
 * - `constant`: lr throughout.
 *
 * @example
 * const s = demoSchedule("cosine", 0.002, 10, 938); s(1); // 0 (warm-up), s(938 * 10) ≈ 0.00002
 *
 * @param {string} name
 * @param {number} lr
 * @param {number} epochs
 * @param {number} stepsPerEpoch
 * @returns {Schedule}
 */
export function demoSchedule(name, lr, epochs, stepsPerEpoch) {
  const steps = epochs * stepsPerEpoch;
  switch (name) {
    case "cosine": {
      if (epochs === 1) return CosAnneal({ l0: lr, l1: lr / 100, period: steps, restart: false });
      const rest = steps - stepsPerEpoch;
      return Warmup(CosAnneal({ l0: lr, l1: lr / 100, period: rest, restart: false }), {
        steps: stepsPerEpoch,
      });
    }
    case "onecycle":
      return OneCycle(Math.max(steps, 2), lr);
    case "step":
      return Interpolator(Step(lr, 0.7, [3, ...Array(Math.max(epochs - 3, 1)).fill(1)]), stepsPerEpoch);
    case "constant":
      return Constant(lr);
    default:
      throw new Error(`[demo] no schedule named ${name}`);
  }
}
