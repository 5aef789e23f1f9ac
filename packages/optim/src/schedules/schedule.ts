// What every schedule is: a function of the 1-based iteration `t` giving a hyper-parameter's value
// (ParameterSchedulers.jl's `AbstractSchedule`: `s(t)`), with a printable description and, for finite
// schedules, how many iterations it has. Schedules are iterable (`s(1), s(2), ...`) as in Julia.
import { checkOptionKeys } from "@flux/functors";
import { OptimError } from "../errors.js";

const SCHEDULE = Symbol.for("flux.optim.schedule");

/**
 * A schedule: `s(t)` is the value at the 1-based iteration `t` (ParameterSchedulers.jl's convention).
 * Call it, or iterate it (`s(1), s(2), ...`, stopping after `steps` for a finite one).
 *
 * @example
 * const s = Exp(0.1, 0.5);
 * s(1); // 0.1
 * s(3); // 0.025
 * adjustInPlace(state, { eta: s(t) }); // Optimisers.jl's adjust!(state, s(t))
 */
export interface Schedule extends Iterable<number> {
  (t: number): number;
  /** How many iterations it is defined for (`Poly`, `Shortened`, `OneCycle`); `Infinity` for the others. */
  readonly steps: number;
  /** `Exp(start=0.1, decay=0.5)`. */
  toString(): string;
}

/** A schedule, a constant (a number) or any function of the 1-based iteration. */
export type ScheduleLike = Schedule | number | ((t: number) => number);

/**
 * Thrown when a schedule is built with a bad argument, or a finite one is called past its end.
 *
 * @example
 * Poly(0.1, 2, 10)(11); // ScheduleError: Poly has 10 iterations; t = 11 is past its end
 */
export class ScheduleError extends OptimError {
  constructor(message: string) {
    super("ERR_SCHEDULE", message);
  }
}

/**
 * Makes a schedule from a function of `t` (what every built-in schedule is built with). `t` must be a
 * finite number; a finite schedule (`steps` < Infinity) refuses `t > steps`.
 *
 * @example
 * const halving = makeSchedule((t) => 0.1 / 2 ** (t - 1), "halving(0.1)");
 */
export function makeSchedule(f: (t: number) => number, description: string, steps = Infinity): Schedule {
  const name = description.replace(/\(.*$/s, "");
  const s = (t: number): number => {
    if (typeof t !== "number" || !Number.isFinite(t))
      throw new ScheduleError(
        `${name}: the iteration t must be a finite number (1 is the first), got ${String(t)}.`,
      );
    if (t > steps) throw new ScheduleError(`${name} has ${steps} iterations; t = ${t} is past its end.`);
    return f(t);
  };
  Object.defineProperties(s, {
    steps: { value: steps, enumerable: true },
    toString: { value: () => description },
    [Symbol.iterator]: {
      value: function* () {
        for (let t = 1; t <= steps; t++) yield f(t);
      },
    },
    [SCHEDULE]: { value: true },
    [Symbol.for("nodejs.util.inspect.custom")]: { value: () => description },
  });
  Object.defineProperty(s, "name", { value: name });
  return s as Schedule;
}

/**
 * Whether `x` was made by `makeSchedule` (every built-in schedule).
 */
export function isSchedule(x: unknown): x is Schedule {
  return typeof x === "function" && (x as unknown as Record<symbol, unknown>)[SCHEDULE] === true;
}

/**
 * A schedule from a `ScheduleLike`: a schedule as is, a number as `Constant(number)`, a function wrapped.
 */
export function asSchedule(s: ScheduleLike, what = "schedule"): Schedule {
  if (isSchedule(s)) return s;
  if (typeof s === "number") {
    if (!Number.isFinite(s)) throw new ScheduleError(`${what}: a constant must be finite, got ${s}.`);
    return makeSchedule(() => s, `Constant(${s})`);
  }
  if (typeof s === "function") return makeSchedule((t) => s(t), s.name ? `${s.name}(t)` : "(t) => ...");
  throw new ScheduleError(`${what}: expected a schedule, a number or a function of t, got ${typeof s}.`);
}

/** @internal Checks that `x` is a finite number. */
export function finite(x: unknown, name: string, op: string): number {
  if (typeof x !== "number" || !Number.isFinite(x))
    throw new ScheduleError(`${op}: ${name} must be a finite number, got ${String(x)}.`);
  return x;
}

/** @internal Checks that `x` is a whole number >= 1. */
export function positiveInt(x: unknown, name: string, op: string): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 1)
    throw new ScheduleError(`${op}: ${name} must be a whole number >= 1, got ${String(x)}.`);
  return x;
}

/** @internal Reads `(a, b, c)` or `({ a, b, c })` into named fields. */
export function argsOf<K extends string>(
  args: readonly unknown[],
  names: readonly K[],
  op: string,
): Record<K, unknown> {
  const first = args[0];
  if (args.length === 1 && first !== null && typeof first === "object" && !Array.isArray(first)) {
    const given = first as Record<string, unknown>;
    return checkOptionKeys(op, given, names, (message) => new ScheduleError(message));
  }
  return Object.fromEntries(names.map((n, i) => [n, args[i]])) as Record<K, unknown>;
}

/** The endpoints and period of a cyclic schedule (ParameterSchedulers.jl's keyword form). */
export interface WaveOptions {
  /** One end of the range (which end is first does not matter: the range is `|l0 − l1|` above `min`). */
  l0: number;
  /** The other end. */
  l1: number;
  /** The period, in iterations. */
  period: number;
}

/** @internal `{ range, offset, period }` from `{ l0, l1, period }`, checked. */
export function waveOf(
  opts: unknown,
  op: string,
  extra: readonly string[] = [],
): { range: number; offset: number; period: number; given: Record<string, unknown> } {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts))
    throw new ScheduleError(
      `${op}: pass the options object ${op}({ l0, l1, period${extra.map((e) => `, ${e}`).join("")} }).`,
    );
  const given = argsOf([opts], ["l0", "l1", "period", ...extra], op);
  const l0 = finite(given.l0, "l0", op);
  const l1 = finite(given.l1, "l1", op);
  const period = positiveInt(given.period, "period", op);
  return { range: Math.abs(l0 - l1), offset: Math.min(l0, l1), period, given };
}
