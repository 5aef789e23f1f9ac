// Sequence: schedules one after another, each for its number of iterations (ParameterSchedulers.jl's
// `Sequence`, PyTorch's SequentialLR).
import {
  asSchedule,
  makeSchedule,
  positiveInt,
  type Schedule,
  ScheduleError,
  type ScheduleLike,
} from "./schedule.js";

/**
 * Runs each schedule for its number of iterations, each restarted at its own t = 1; after the last
 * boundary the last schedule goes on (ParameterSchedulers.jl's `Sequence(s1 => n1, s2 => n2, ...)`, whose
 * pairs are `[s, n]` here; `Sequence({ schedules, stepSizes })` is its `Sequence(schedules, step_sizes)`).
 * A number stands for `Constant(number)`. Finite when the last schedule is.
 *
 * @example
 * const warm = Sequence([Triangle({ l0: 0, l1: 0.1, period: 20 }), 10], [Exp(0.1, 0.9), 90]);
 * Sequence([0.1, 5], [0.01, 5]);              // 0.1 for 5 iterations, then 0.01
 * Sequence({ schedules: [0.1, 0.01], stepSizes: [5, 5] }); // the same
 */
export function Sequence(...stages: readonly (readonly [ScheduleLike, number])[]): Schedule;
export function Sequence(opts: {
  schedules: readonly ScheduleLike[];
  stepSizes: readonly number[];
}): Schedule;
export function Sequence(...args: unknown[]): Schedule {
  let pairs: [ScheduleLike, number][];
  const first = args[0];
  if (args.length === 1 && first !== null && typeof first === "object" && !Array.isArray(first)) {
    const { schedules, stepSizes } = first as { schedules?: unknown; stepSizes?: unknown };
    if (!Array.isArray(schedules) || !Array.isArray(stepSizes) || schedules.length !== stepSizes.length)
      throw new ScheduleError("Sequence({ schedules, stepSizes }): two lists of the same length.");
    pairs = schedules.map((s, i) => [s as ScheduleLike, stepSizes[i] as number]);
  } else {
    pairs = args.map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2)
        throw new ScheduleError(
          `Sequence: stage ${i + 1} must be a pair [schedule, iterations], got ${String(p)}.`,
        );
      return [p[0] as ScheduleLike, p[1] as number];
    });
  }
  if (pairs.length === 0)
    throw new ScheduleError("Sequence: give at least one [schedule, iterations] stage.");
  const stages = pairs.map(([s, n], i) => ({
    s: asSchedule(s, `Sequence stage ${i + 1}`),
    n: positiveInt(n, `the iterations of stage ${i + 1}`, "Sequence"),
  }));
  const last = stages.length - 1;
  const beforeLast = stages.slice(0, last).reduce((a, st) => a + st.n, 0);
  return makeSchedule(
    (t) => {
      let offset = 0;
      for (let i = 0; i < last; i++) {
        const st = stages[i]!;
        if (t <= offset + st.n) return st.s(t - offset);
        offset += st.n;
      }
      return stages[last]!.s(t - offset);
    },
    `Sequence(${stages.map((st) => `[${String(st.s)}, ${st.n}]`).join(", ")})`,
    beforeLast + stages[last]!.s.steps,
  );
}
