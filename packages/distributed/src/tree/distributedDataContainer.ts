// DistributedDataContainer: this rank's contiguous share of a dataset (Flux's DistributedDataContainer).
import { callableClass, checkNotPromise } from "@flux/functors";
import type { DistributedBackend } from "../backend.js";
import { DistributedArgumentError } from "../errors.js";
import { isTensorLike } from "../tensorLike.js";

/** Anything with the observation interface as methods (MLUtils' `numobs` / `getobs`; @flux/data calls it `ObsContainer`). */
interface ObsMethods {
  numobs(): number;
  getobs(i: number): unknown;
}

/**
 * The half-open observation range `[start, stop)` that `rank` of `workers` gets out of `n` observations.
 *
 * Shares are contiguous, in rank order, differ in size by at most one, and cover `0..n-1` exactly once.
 * (Flux cuts `ceil(n / workers)`-sized pieces, which leaves the last ranks with nothing, or errors,
 * when `n` is small; a balanced split never does.)
 *
 * @example
 * shareOf(10, 4, 3); // [8, 10]  (shares 0-2, 3-5, 6-7, 8-9 → sizes 3, 3, 2, 2)
 */
export function shareOf(n: number, workers: number, rank: number): [number, number] {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(workers) || workers < 1)
    throw new DistributedArgumentError(
      `shareOf(n, workers, rank): n must be an integer >= 0 and workers an integer >= 1, got ${n} and ${workers}.`,
    );
  if (!Number.isInteger(rank) || rank < 0 || rank >= workers)
    throw new DistributedArgumentError(`shareOf: rank must be an integer in 0..${workers - 1}, got ${rank}.`);
  const base = Math.floor(n / workers);
  const extra = n % workers;
  const start = rank * base + Math.min(rank, extra);
  return [start, start + base + (rank < extra ? 1 : 0)];
}

class DistributedDataContainerImpl<O = unknown> implements ObsMethods, Iterable<O> {
  /** The indices of `data` this rank sees, in order. */
  readonly indices: readonly number[];

  constructor(
    b: DistributedBackend,
    /** The whole dataset (every rank passes the same). */
    readonly data: unknown,
  ) {
    checkNotPromise(data, "DistributedDataContainer", "data"); // e.g. an un-awaited FashionMNIST(...)
    const [start, stop] = shareOf(numobsOf(data), b.size, b.rank);
    this.indices = Array.from({ length: stop - start }, (_, k) => start + k);
  }

  /** The number of observations on this rank. */
  get length(): number {
    return this.indices.length;
  }

  /** The number of observations on this rank (MLUtils' `numobs`). */
  numobs(): number {
    return this.indices.length;
  }

  /** Observation `i` of this rank's share, or several for an index array (MLUtils' `getobs`). */
  getobs(i: readonly number[]): O[];
  // The single-index overload comes last: type inference reads the last overload (@flux/data's batch types
  // take a container's observation type from `getobs(i: number)`).
  getobs(i: number): O;
  getobs(i: number | readonly number[]): O | O[] {
    if (typeof i !== "number") return i.map((k) => this.getobs(k));
    if (!Number.isInteger(i) || i < 0 || i >= this.indices.length)
      throw new DistributedArgumentError(
        `getobs: index ${i} is outside this rank's share (0..${this.indices.length - 1}, 0-based).`,
      );
    return getobsOf(this.data, this.indices[i]) as O;
  }

  *[Symbol.iterator](): Iterator<O> {
    for (let i = 0; i < this.indices.length; i++) yield this.getobs(i);
  }
}

/**
 * This worker's share of `data` (Flux's `DistributedDataContainer`): rank i sees a contiguous block of
 * observations, and the blocks of all ranks cover the data exactly once.
 *
 * `data` is a JS array, a typed array (one observation per element), an object with `numobs()` and
 * `getobs(i)` methods, or a plain object of such containers (observation i is then an object of their
 * i-th observations, as MLUtils treats tuples). The container itself has `numobs()` / `getobs(i)` (and
 * `length`, iteration), so a DataLoader can batch it. Indices are 0-based.
 *
 * @example
 * const shard = DistributedDataContainer(b, images); // rank 1 of 4 over 100 obs sees obs 25..49
 * for (let i = 0; i < shard.numobs(); i++) train(shard.getobs(i));
 */
export const DistributedDataContainer = callableClass(
  DistributedDataContainerImpl,
  "DistributedDataContainer",
) as typeof DistributedDataContainerImpl &
  (<O = unknown>(b: DistributedBackend, data: unknown) => DistributedDataContainerImpl<O>);
/** An instance of `DistributedDataContainer`. */
export type DistributedDataContainer<O = unknown> = DistributedDataContainerImpl<O>;

function isObsContainer(x: unknown): x is ObsMethods {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as ObsMethods).numobs === "function" &&
    typeof (x as ObsMethods).getobs === "function"
  );
}

function numobsOf(data: unknown): number {
  if (isObsContainer(data)) return data.numobs();
  if (Array.isArray(data) || (ArrayBuffer.isView(data) && !(data instanceof DataView)))
    return (data as ArrayLike<unknown>).length;
  if (isTensorLike(data))
    throw new DistributedArgumentError(
      "DistributedDataContainer cannot slice a tensor by itself; wrap it in an object with numobs()/getobs(i) " +
        "(e.g. @flux/data's mapobs) or pass a JS array of observations.",
    );
  if (typeof data === "object" && data !== null) {
    const counts = Object.entries(data).map(([k, v]) => [k, numobsOf(v)] as const);
    if (counts.length === 0)
      throw new DistributedArgumentError("DistributedDataContainer got an empty object.");
    if (new Set(counts.map(([, n]) => n)).size > 1)
      throw new DistributedArgumentError(
        `DistributedDataContainer: the fields hold different numbers of observations (${counts
          .map(([k, n]) => `${k}: ${n}`)
          .join(", ")}).`,
      );
    return counts[0][1];
  }
  throw new DistributedArgumentError(
    `DistributedDataContainer needs an array, a typed array or an object with numobs()/getobs(i); got ${typeof data}.`,
  );
}

function getobsOf(data: unknown, i: number): unknown {
  if (isObsContainer(data)) return data.getobs(i);
  if (Array.isArray(data) || ArrayBuffer.isView(data)) return (data as ArrayLike<unknown>)[i];
  return Object.fromEntries(Object.entries(data as object).map(([k, v]) => [k, getobsOf(v, i)]));
}
