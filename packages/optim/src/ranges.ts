// The valid ranges of hyper-parameters, declared by each rule next to its defaults and checked by
// `defineRule` whenever a rule is built or adjusted (so `Adam({ beta: [2, 2] })` and `Adam(Infinity)` are
// refused with a RuleArgumentError that names the rule, the field and the range).

/**
 * The values a numeric hyper-parameter (or each element of a pair such as `beta`) may take. Every number
 * must be finite unless `infinite` says otherwise; NaN is never valid.
 *
 * @example
 * const DECAY: Range = { min: 0, max: 1, maxOpen: true }; // [0, 1)
 */
export interface Range {
  readonly min?: number;
  /** `min` itself is excluded (`> min`). */
  readonly minOpen?: boolean;
  readonly max?: number;
  /** `max` itself is excluded (`< max`). */
  readonly maxOpen?: boolean;
  /** ±Infinity allowed (ClipNorm's `p`). */
  readonly infinite?: boolean;
  /** Whole numbers only (AccumGrad's `n`). */
  readonly integer?: boolean;
  /** What the value is, for the message ("a learning rate"). */
  readonly what?: string;
}

/** A learning rate: finite, >= 0. */
export const LEARNING_RATE: Range = { min: 0, what: "a learning rate" };
/** A decay rate such as Adam's β or RMSProp's ρ used as `ρ a + (1-ρ) b`: [0, 1). */
export const DECAY: Range = { min: 0, max: 1, maxOpen: true, what: "a decay rate" };
/** A factor in [0, 1] (momentum, AdaDelta's ρ, where 1 is degenerate but well defined). */
export const UNIT: Range = { min: 0, max: 1 };
/** A finite number > 0 (ϵ, clipping thresholds). */
export const POSITIVE: Range = { min: 0, minOpen: true };
/** A finite number >= 0 (penalties). */
export const NON_NEGATIVE: Range = { min: 0 };

/** `"a learning rate: a finite number >= 0"`, `"a finite number in [0, 1)"`... */
export function describeRange(r: Range): string {
  const kind = r.integer ? "an integer" : r.infinite ? "a number (±Infinity allowed)" : "a finite number";
  let bounds = "";
  if (r.min !== undefined && r.max !== undefined) {
    bounds = ` in ${r.minOpen ? "(" : "["}${r.min}, ${r.max}${r.maxOpen ? ")" : "]"}`;
  } else if (r.min !== undefined) bounds = ` ${r.minOpen ? ">" : ">="} ${r.min}`;
  else if (r.max !== undefined) bounds = ` ${r.maxOpen ? "<" : "<="} ${r.max}`;
  return `${r.what === undefined ? "" : `${r.what}: `}${kind}${bounds}`;
}

/** Whether `v` lies in `r` (numbers only). */
export function inRange(v: number, r: Range): boolean {
  if (Number.isNaN(v)) return false;
  if (!r.infinite && !Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  if (r.min !== undefined && (r.minOpen ? !(v > r.min) : !(v >= r.min))) return false;
  if (r.max !== undefined && (r.maxOpen ? !(v < r.max) : !(v <= r.max))) return false;
  return true;
}
