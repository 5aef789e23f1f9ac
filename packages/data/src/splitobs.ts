// splitobs: disjoint, covering splits by fractions or counts; optional shuffle and stratification.
import type { Rng } from "@flux/kernels";
import { DataArgumentError } from "./errors.js";
import { type ObsView, obsview } from "./obsview.js";
import { numobs } from "./observation.js";
import { flagOption, rngOption } from "./checkArgs.js";
import { randperm } from "./shuffleobs.js";

/** Where to split: one fraction/count (two parts) or several (one more part than entries). */
export type SplitAt = number | readonly number[];

/** Options of `splitobs(data, ...)`. */
export interface SplitOptions {
  /** Fractions in [0, 1] (summing to at most 1) or integer counts; MLUtils' `at`. */
  at: SplitAt;
  /** Permute the observations before splitting (drawn from `rng`). */
  shuffle?: boolean;
  /** One label per observation: each split then keeps the label proportions (MLUtils' `stratified`). */
  stratified?: ArrayLike<unknown>;
  /** The generator for `shuffle` (kernels' `defaultRng()` when omitted). */
  rng?: Rng;
}

/** Integer entries ≥ 1 are counts (MLUtils: an `Integer` `at`); anything else a fraction. */
function fractions(n: number, at: SplitAt): number[] {
  const list = typeof at === "number" ? [at] : [...at];
  const counts = list.every((a) => Number.isInteger(a) && a >= 1);
  const fr = counts ? list.map((a) => a / n) : list;
  for (const f of fr) {
    if (!(f >= 0 && f <= 1))
      throw new DataArgumentError(
        `splitobs: "at" must hold fractions in [0, 1] or integer counts <= ${n}, got [${list.join(", ")}].`,
      );
  }
  if (fr.reduce((s, f) => s + f, 0) > 1 + 1e-12)
    throw new DataArgumentError(
      `splitobs: the fractions in "at" ([${list.join(", ")}]) add up to more than 1.`,
    );
  return fr;
}

/** Julia's `round(Int, x)`: to nearest, ties to even (so 2.5 → 2, 3.5 → 4). */
function roundTiesEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Split sizes for n items: each fraction of the WHOLE n, rounded as Julia rounds. */
function sizes(n: number, fr: readonly number[]): number[] {
  const out: number[] = [];
  let used = 0;
  for (const f of fr) {
    const k = Math.min(Math.max(roundTiesEven(f * n), 0), n - used);
    out.push(k);
    used += k;
  }
  out.push(n - used);
  return out;
}

function ranges(n: number, fr: readonly number[]): number[][] {
  let start = 0;
  return sizes(n, fr).map((k) => {
    const r = Array.from({ length: k }, (_, i) => start + i);
    start += k;
    return r;
  });
}

/**
 * Splits `data` (or the indices `0..n-1` when given a number) into disjoint parts that cover it
 * (MLUtils' `splitobs`).
 *
 * `at: 0.7` gives a 70/30 split; `at: [0.5, 0.3]` a 50/30/20 one; integers ≥ 1 are counts. With a number
 * `n` the parts are index arrays; with data they are lazy `ObsView`s. `shuffle` permutes first;
 * `stratified` (one label per observation) splits each label's observations separately so that every part
 * keeps the label proportions (labels in order of first appearance).
 *
 * @example
 * splitobs(10, { at: 0.7 });                    // [[0..6], [7, 8, 9]]
 * const [train, test] = splitobs({ x: X, y: Y }, { at: 0.8, shuffle: true, rng: rng(1) });
 * const [a, b] = splitobs(X, { at: 0.5, stratified: labels });
 */
export function splitobs(n: number, opts: { at: SplitAt }): number[][];
export function splitobs<D>(data: D, opts: SplitOptions): ObsView<D>[];
export function splitobs(data: unknown, opts: SplitOptions): unknown[] {
  if (typeof data === "number") {
    if (!Number.isInteger(data) || data < 0)
      throw new DataArgumentError(`splitobs: n must be a non-negative integer, got ${data}.`);
    return ranges(data, fractions(data, opts.at));
  }
  const n = numobs(data);
  const fr = fractions(n, opts.at);
  const order = flagOption("splitobs", "shuffle", opts.shuffle, false)
    ? randperm(n, rngOption("splitobs", opts.rng))
    : Array.from({ length: n }, (_, i) => i);
  if (opts.stratified === undefined) {
    return ranges(n, fr).map((r) =>
      obsview(
        data,
        r.map((i) => order[i]!),
      ),
    );
  }
  const labels = opts.stratified;
  if (labels.length !== n)
    throw new DataArgumentError(
      `splitobs: "stratified" has ${labels.length} labels but the data has ${n} observations.`,
    );
  const groups = new Map<unknown, number[]>();
  for (const i of order) {
    const g = groups.get(labels[i]);
    if (g === undefined) groups.set(labels[i], [i]);
    else g.push(i);
  }
  const parts: number[][] = fr.map(() => []).concat([[]]);
  for (const members of groups.values()) {
    ranges(members.length, fr).forEach((r, p) => {
      for (const k of r) parts[p]!.push(members[k]!);
    });
  }
  return parts.map((p) => obsview(data, p));
}
