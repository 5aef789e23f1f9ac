// ObsView: a lazy subset (or reordering) of a container's observations. Nothing is sliced until getobs.
import { callableClass } from "@flux/functors";
import type { Obs, ObsBatch } from "./batchTypes.js";
import type { ObsContainer } from "./container.js";
import { DataArgumentError } from "./errors.js";
import { getobs, numobs } from "./observation.js";

// Typed by the viewed data: `getobs(i)` is `Obs<D>` and a batch `ObsBatch<D>`, so a DataLoader (or a
// DistributedDataContainer) over a view yields the same types as over the data itself.
class ObsViewImpl<D = unknown> implements ObsContainer<Obs<D>> {
  /** The underlying container (never a view: nested views are collapsed). */
  readonly data: D;
  /** The 0-based indices into `data`, in view order. */
  readonly indices: readonly number[];

  constructor(data: D, indices?: ArrayLike<number>) {
    const n = numobs(data);
    const list = indices === undefined ? Array.from({ length: n }, (_, i) => i) : Array.from(indices);
    for (const i of list) {
      if (!Number.isInteger(i) || i < 0 || i >= n)
        throw new DataArgumentError(`obsview: index ${i} is out of range 0..${n - 1} (0-based).`);
    }
    if (data instanceof ObsView) {
      this.data = data.data as D;
      this.indices = list.map((i) => (data.indices as number[])[i]!);
    } else {
      this.data = data;
      this.indices = list;
    }
  }

  numobs(): number {
    return this.indices.length;
  }

  getobs(i: number): Obs<D> {
    return getobs(this.data, this.#at(i)) as Obs<D>;
  }

  getobsBatch(indices: readonly number[]): ObsBatch<D> {
    return getobs(
      this.data,
      indices.map((i) => this.#at(i)),
    ) as ObsBatch<D>;
  }

  #at(i: number): number {
    const k = this.indices[i];
    if (k === undefined || !Number.isInteger(i))
      throw new DataArgumentError(
        `getobs: index ${i} is out of range 0..${this.indices.length - 1} of this view (0-based).`,
      );
    return k;
  }
}

/**
 * A lazy view of the observations `indices` of `data` (MLUtils' `ObsView`); itself a data container.
 *
 * Views of views compose their indices, so `shuffleobs(splitobs(...)[0])` still slices the original data
 * once per batch.
 *
 * @example
 * const v = ObsView(images, [4, 2, 0]);
 * v.numobs();     // 3
 * v.getobs(0);    // observation 4 of images
 */
export const ObsView = callableClass(ObsViewImpl, "ObsView") as typeof ObsViewImpl &
  (<D>(data: D, indices?: ArrayLike<number>) => ObsViewImpl<D>);
/** An instance of `ObsView`. */
export type ObsView<D = unknown> = ObsViewImpl<D>;

/**
 * A lazy view of some observations of `data` (all of them when `indices` is omitted; MLUtils' `obsview`).
 *
 * @example
 * const firstTen = obsview(dataset, Array.from({ length: 10 }, (_, i) => i));
 */
export function obsview<D>(data: D, indices?: ArrayLike<number>): ObsView<D> {
  return ObsView(data, indices);
}
