// shuffleobs and the permutation it draws.
import type { Rng } from "@flux/kernels";
import { rngOption } from "./checkArgs.js";
import { DataArgumentError } from "./errors.js";
import { type ObsView, obsview } from "./obsview.js";
import { numobs } from "./observation.js";

/**
 * @internal A uniformly random permutation of 0..n-1 (Fisher-Yates) drawn from `rng`.
 */
export function randperm(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * A lazy view of `data` with its observations in a random order (MLUtils' `shuffleobs`).
 *
 * The order is drawn once, now, from `rng` (kernels' `defaultRng()` when omitted). For a new order every
 * epoch use `DataLoader(data, { shuffle: true })` instead.
 *
 * @example
 * const shuffled = shuffleobs({ x: X, y: Y }, { rng: rng(42) });
 */
export function shuffleobs<D>(data: D, opts: { rng?: Rng } = {}): ObsView<D> {
  if (typeof opts !== "object" || opts === null)
    throw new DataArgumentError(
      `shuffleobs: the options must be an object such as { rng: rng(42) }, got ${opts === null ? "null" : typeof opts}.`,
    );
  const r = rngOption("shuffleobs", opts.rng);
  return obsview(data, randperm(numobs(data), r));
}
