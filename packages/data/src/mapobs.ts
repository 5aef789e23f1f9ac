// mapobs: a lazy container whose observations are f applied to the observations of another.
import { callableClass, checkNotPromise } from "@flux/functors";
import type { ObsContainer } from "./container.js";
import { DataArgumentError } from "./errors.js";
import { getobs, numobs } from "./observation.js";
import { checkOptionKeys } from "./options.js";

class MappedDataImpl<O = unknown> implements ObsContainer<O> {
  constructor(
    readonly f: (obs: unknown) => O,
    readonly data: unknown,
    readonly batched = false,
  ) {
    numobs(data); // validate now, not at the first batch
  }

  numobs(): number {
    return numobs(this.data);
  }

  getobs(i: number): O {
    return this.f(getobs(this.data, i));
  }

  getobsBatch(indices: readonly number[]): unknown {
    if (this.batched) return this.f(getobs(this.data, indices));
    return indices.map((i) => this.getobs(i));
  }
}

/**
 * A container whose observation i is `f(getobs(data, i))`, computed on access (MLUtils' `MappedData`).
 *
 * A batch is `f` applied to each observation, returned as an array, unless `batched: true` says that `f`
 * takes and returns whole batches (then `f(getobs(data, indices))`, one call per batch).
 *
 * @example
 * const scaled = MappedData((x) => mul(x, 2), images);
 */
export const MappedData = callableClass(MappedDataImpl, "MappedData") as typeof MappedDataImpl &
  (<O>(f: (obs: unknown) => O, data: unknown, batched?: boolean) => MappedDataImpl<O>);
/** An instance of `MappedData`. */
export type MappedData<O = unknown> = MappedDataImpl<O>;

/**
 * Lazily maps `f` over the observations of `data` (MLUtils' `mapobs`).
 *
 * With `{ batched: true }`, `f` receives whole batches (`getobs(data, indices)`) instead of single
 * observations: use it when `f` is a tensor op, so that a batch costs one call.
 *
 * @example
 * const flat = mapobs((x) => reshape(x, [784]), images);          // per observation
 * const scaled = mapobs((b) => div(b, 255), images, { batched: true }); // per batch
 */
export function mapobs<O>(
  f: (obs: unknown) => O,
  data: unknown,
  opts?: { batched?: boolean },
): MappedData<O> {
  if (typeof f !== "function")
    throw new DataArgumentError(
      `mapobs: the first argument must be a function (mapobs(f, data)), got ${typeof f}.`,
    );
  checkNotPromise(data, "mapobs", "data");
  const { batched } = checkOptionKeys<{ batched?: boolean }>("mapobs", opts, ["batched"]);
  return MappedData(f, data, batched ?? false);
}
