// A rule is a frozen record of hyper-parameters (its own enumerable fields) whose prototype carries the two
// functions of Optimisers.jl's interface, `init` and `apply`, plus `fused`: the same step as one call of
// kernels' in-place `optimiserStep`, which update/updateInPlace/train prefer (`apply` stays the reference and
// the tests' oracle). `defineRule` turns a small spec into the public factory (`Adam()`, `Adam(0.01)`,
// `Adam({ eta: 0.01 })`), checks hyper-parameters against the spec's `ranges`, so each file under rules/ is
// one spec.
import { callableClass } from "@flux/functors";
import { type OptimiserStepOp, type Tensor, tidy } from "@flux/kernels";
import { RuleArgumentError } from "./errors.js";
import { type Range, describeRange, inRange } from "./ranges.js";

/** What `apply` returns: the new state and the update to subtract (`null`: no update this step). */
export type RuleResult<S> = readonly [state: S, dx: Tensor | null];

/** A pair of decay rates such as Adam's `beta` (β₁, β₂), or their running powers. */
export type Betas = readonly [number, number];

/**
 * A rule's step as ONE call of kernels' `optimiserStep` (one pass over the parameter, its gradient and its
 * state): the `ops`, the state `tensors` they update IN PLACE (in the ops' order), and the state record
 * after the step (`next`: the same tensors, new counters such as Adam's `betat`). Rules declare it next to
 * their reference `apply` and compute the same values; `update`, `updateInPlace` and `train` use it.
 */
export interface FusedStep<S> {
  readonly ops: readonly OptimiserStepOp[];
  readonly tensors: readonly Tensor[];
  readonly next: S;
}

/**
 * An optimisation rule (Optimisers.jl's `AbstractRule`): hyper-parameters plus `init` and `apply`.
 *
 * `init(x)` makes the per-parameter state (tensors on `x`'s device, same dtype); `apply(state, x, dx)`
 * returns `[newState, dx']` where `dx'` is what gets subtracted from `x`. Both create new tensors and never
 * mutate their inputs. `adjust(changes)` returns a copy with some hyper-parameters changed.
 *
 * @example
 * const r = Adam(0.01);
 * const s = r.init(w);
 * const [s2, step] = r.apply(s, w, g); // w - step is Adam's update
 */
export interface Rule<S = unknown> {
  /** The rule's name, e.g. `"Adam"`. */
  readonly kind: string;
  /** The state for one parameter `x` (Optimisers.jl's `init(rule, x)`). */
  init(x: Tensor): S;
  /** One step (Optimisers.jl's `apply!`, without mutation): `[newState, dx']`. */
  apply(state: S, x: Tensor, dx: Tensor): RuleResult<S>;
  /**
   * The same step as one fused kernel call that updates `state`'s tensors in place, or `null` where the
   * rule has no fused form (then `apply` serves). `dx` is the gradient as this rule receives it, or `null`
   * inside a chain after other rules (only ClipNorm needs it).
   */
  fused?(state: S, x: Tensor, dx: Tensor | null): FusedStep<S> | null;
  /** A copy with the named hyper-parameters changed; names the rule lacks are ignored (as Optimisers.jl). */
  adjust(changes: Readonly<Record<string, unknown>>): Rule<S>;
  /** `Adam(eta=0.001, beta=[0.9, 0.999], epsilon=1e-8)`. */
  toString(): string;
}

/** A rule together with its hyper-parameter fields (`adjust` keeps them typed). */
export type RuleOf<H, S> = Omit<Rule<S>, "adjust"> &
  Readonly<H> & {
    adjust(changes: Readonly<Record<string, unknown>>): RuleOf<H, S>;
  };

/** Arguments of a rule factory: positional hyper-parameters, then optionally one options object. */
export type RuleArgs<H> = readonly (number | boolean | Betas | Rule | Partial<H>)[];

/**
 * A rule constructor: `Adam()`, `Adam(0.01)`, `Adam(0.01, [0.9, 0.99])`, `Adam({ eta: 0.01 })`,
 * `RMSProp(0.01, { centred: true })`. Positional arguments follow Optimisers.jl's order; a trailing
 * plain object gives any field by name (Julia's keywords). Missing fields take Optimisers.jl's defaults.
 * Like every public class, it works with or without `new`, and `Adam(0.01) instanceof Adam` holds.
 */
export interface RuleFactory<H, S> {
  (...args: RuleArgs<H>): RuleOf<H, S>;
  new (...args: RuleArgs<H>): RuleOf<H, S>;
  readonly prototype: Rule<S>;
  /** The rule's name. */
  readonly kind: string;
  /** The default hyper-parameters (Optimisers.jl 0.4's). */
  readonly defaults: Readonly<H>;
}

/** How one rule is defined: see any file under rules/. */
export interface RuleSpec<H extends object, S> {
  readonly kind: string;
  readonly defaults: H;
  /** Field names in the order positional arguments fill them. */
  readonly positional: readonly (keyof H & string)[];
  /** Fields that have no default in Optimisers.jl (e.g. AccumGrad's `n`). */
  readonly required?: readonly (keyof H & string)[];
  /** Custom argument parsing (OptimiserChain takes rules, not numbers). */
  readonly parse?: (args: readonly unknown[]) => Partial<H>;
  /**
   * The valid range of each numeric field (each element of a pair). Numbers without one must be finite;
   * NaN is always refused.
   */
  readonly ranges?: { readonly [K in keyof H]?: Range };
  /** Extra validation after the generic type and range checks. */
  readonly check?: (h: H) => void;
  /** Custom `adjust` (OptimiserChain forwards to its rules; RMSProp refuses `centred`). */
  readonly adjust?: (rule: RuleOf<H, S>, changes: Readonly<Record<string, unknown>>) => RuleOf<H, S>;
  /** Custom printing of the fields (default `name=value, ...`). */
  readonly format?: (h: H) => string;
  init(h: Readonly<H>, x: Tensor): S;
  apply(h: Readonly<H>, state: S, x: Tensor, dx: Tensor): RuleResult<S>;
  /** The one-pass form of `apply` (see `FusedStep`); absent or `null`: `apply` serves. */
  readonly fused?: (h: Readonly<H>, state: S, x: Tensor, dx: Tensor | null) => FusedStep<S> | null;
}

const RULE = Symbol.for("flux.optim.rule");

/**
 * Whether `x` is a rule made by a rule factory (of any installed copy of this package).
 *
 * @example
 * isRule(Adam()); // true
 */
export function isRule(x: unknown): x is Rule {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[RULE] === true;
}

function isOptions(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null || Array.isArray(x) || isRule(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(formatValue).join(", ")}]`;
  return String(v);
}

function checkField(
  kind: string,
  key: string,
  value: unknown,
  like: unknown,
  range: Range | undefined,
): void {
  const bad = (what: string, field = key, v: unknown = value) =>
    new RuleArgumentError(`${kind}: ${field} must be ${what}, got ${formatValue(v)}.`, { rule: kind, field });
  const within = range ?? {};
  if (typeof like === "number") {
    if (typeof value !== "number") throw bad(describeRange(within));
    if (!inRange(value, within)) throw bad(describeRange(within));
  } else if (typeof like === "boolean") {
    if (typeof value !== "boolean") throw bad("true or false");
  } else if (Array.isArray(like) && like.length > 0 && like.every((v) => typeof v === "number")) {
    const ok =
      Array.isArray(value) && value.length === like.length && value.every((v) => typeof v === "number");
    if (!ok) throw bad(`an array of ${like.length} numbers`);
    (value as number[]).forEach((v, i) => {
      if (!inRange(v, within)) throw bad(describeRange(within), `${key}[${i}]`, v);
    });
  }
}

/**
 * Builds a rule factory from a spec: argument parsing, validation, printing and `adjust` are shared so a
 * rule file holds only its defaults and formulas.
 *
 * @example
 * const Halve = defineRule({ kind: "Halve", defaults: {}, positional: [],
 *   init: () => null, apply: (_h, s, _x, dx) => [s, mul(dx, 0.5)] });
 */
export function defineRule<H extends object, S>(spec: RuleSpec<H, S>): RuleFactory<H, S> {
  const keys = Object.keys(spec.defaults) as (keyof H & string)[];
  // The rule's class: its prototype carries init/apply/fused/adjust; constructing parses the arguments and
  // returns the frozen record instead of `this` (a constructor may return an object), so `Adam(0.01)`,
  // `new Adam(0.01)` and `instanceof Adam` agree.
  class RuleClass {
    constructor(...args: unknown[]) {
      // biome-ignore lint/correctness/noConstructorReturn: the frozen record IS the instance (see above)
      return build(parse(args));
    }
  }
  const proto = RuleClass.prototype as Record<PropertyKey, unknown>;
  const build = (given: Partial<H>): RuleOf<H, S> => {
    for (const k of Object.keys(given)) {
      if (!keys.includes(k as keyof H & string)) {
        throw new RuleArgumentError(
          `${spec.kind}: unknown option "${k}"; its hyper-parameters are ${keys.join(", ") || "(none)"}.`,
          { rule: spec.kind, field: k },
        );
      }
    }
    for (const k of spec.required ?? []) {
      if (given[k] === undefined) {
        throw new RuleArgumentError(`${spec.kind}: ${k} is required.`, { rule: spec.kind, field: k });
      }
    }
    const h = { ...spec.defaults } as H;
    for (const k of keys) {
      const v = given[k];
      if (v === undefined) continue;
      checkField(spec.kind, k, v, spec.defaults[k], spec.ranges?.[k]);
      (h as Record<string, unknown>)[k] = Array.isArray(v) ? Object.freeze([...v]) : v;
    }
    spec.check?.(h);
    return Object.freeze(Object.assign(Object.create(proto), h)) as RuleOf<H, S>;
  };
  const parse = (args: readonly unknown[]): Partial<H> => {
    if (spec.parse !== undefined) return spec.parse(args);
    const given: Record<string, unknown> = {};
    let next = 0;
    args.forEach((a, i) => {
      if (isOptions(a)) {
        if (i !== args.length - 1) {
          throw new RuleArgumentError(`${spec.kind}: an options object must be the last argument.`);
        }
        for (const [k, v] of Object.entries(a)) {
          if (k in given) {
            throw new RuleArgumentError(`${spec.kind}: ${k} is given twice.`, { rule: spec.kind, field: k });
          }
          given[k] = v;
        }
        return;
      }
      const k = spec.positional[next++];
      if (k === undefined) {
        throw new RuleArgumentError(
          `${spec.kind}: takes at most ${spec.positional.length} positional argument(s) ` +
            `(${spec.positional.join(", ")}), got ${args.length}; pass the rest as an options object.`,
        );
      }
      given[k] = a;
    });
    return given as Partial<H>;
  };
  const defaultAdjust = (rule: RuleOf<H, S>, changes: Readonly<Record<string, unknown>>) => {
    const given: Record<string, unknown> = {};
    for (const k of keys) given[k] = changes[k] !== undefined ? changes[k] : rule[k];
    return build(given as Partial<H>);
  };
  Object.defineProperties(proto, {
    [RULE]: { value: true },
    // A rule is a leaf for @flux/functors: fmap over a state tree never walks into hyper-parameters.
    [Symbol.for("flux.leaf")]: { value: true },
    kind: { value: spec.kind, enumerable: false },
    init: {
      value(this: RuleOf<H, S>, x: Tensor): S {
        return spec.init(this, x);
      },
    },
    apply: {
      value(this: RuleOf<H, S>, state: S, x: Tensor, dx: Tensor): RuleResult<S> {
        return spec.apply(this, state, x, dx);
      },
    },
    fused: {
      value(this: RuleOf<H, S>, state: S, x: Tensor, dx: Tensor | null): FusedStep<S> | null {
        return spec.fused?.(this, state, x, dx) ?? null;
      },
    },
    adjust: {
      value(this: RuleOf<H, S>, changes: Readonly<Record<string, unknown>>): RuleOf<H, S> {
        if (!isOptions(changes) || Object.keys(changes).length === 0) {
          throw new RuleArgumentError(
            `${spec.kind}.adjust: give the hyper-parameters to change, e.g. adjust({ eta: 0.01 }).`,
          );
        }
        return (spec.adjust ?? defaultAdjust)(this, changes);
      },
    },
    toString: {
      value(this: RuleOf<H, S>): string {
        const fields =
          spec.format?.(this) ??
          keys.map((k) => `${k}=${formatValue((this as Record<string, unknown>)[k])}`).join(", ");
        return `${spec.kind}(${fields})`;
      },
    },
    [Symbol.for("nodejs.util.inspect.custom")]: {
      value(this: Rule): string {
        return this.toString();
      },
    },
  });
  Object.defineProperties(RuleClass, {
    kind: { value: spec.kind },
    defaults: { value: Object.freeze({ ...spec.defaults }) },
  });
  return callableClass(RuleClass, spec.kind) as unknown as RuleFactory<H, S>;
}

/**
 * The state `rule` keeps for parameter `x` (Optimisers.jl's `init`). Tensors are created on `x`'s device
 * with `x`'s dtype.
 *
 * @example
 * const s = init(Momentum(), w); // a zero tensor shaped like w
 */
export function init<S>(rule: Rule<S>, x: Tensor): S {
  return rule.init(x);
}

/**
 * One step of `rule` (Optimisers.jl's `apply!`, pure): `[newState, dx']`, with `x - dx'` the new parameter.
 *
 * Runs inside `tidy`, so temporaries are freed; the inputs (old state, `x`, `dx`) are never mutated or
 * freed: dispose the old state yourself when you no longer need it. `dx'` may be one of the new state's
 * tensors (Momentum returns its velocity), so free it only together with that state. `dx'` is `null` when
 * the rule makes no update this step (AccumGrad between accumulations).
 *
 * Named `applyRule` because `apply` is @flux/layers' `apply(m, x)` (Flux's `m(x)`) in `@flux/flux`.
 *
 * @example
 * const [s1, step] = applyRule(Descent(0.1), null, w, g); // step = 0.1 .* g
 */
export function applyRule<S>(rule: Rule<S>, state: S, x: Tensor, dx: Tensor): RuleResult<S> {
  return tidy(() => rule.apply(state, x, dx));
}
