// prefetchToDevice: MLDataDevices' DeviceIterator plus prefetch. Moves each batch with a device function,
// keeps up to `prefetch` uploads in flight ahead of the consumer, and frees device batches it made.
import { callableClass } from "@flux/functors";
import type { Tensor } from "@flux/kernels";
import { DataArgumentError } from "./errors.js";
import { freeTensors, tensorLeaves } from "./tensorLeaves.js";

/** Something that moves a value (a tensor or a tree of them) to a device: a @flux/devices device object. */
export type DeviceFn = (x: unknown) => unknown;

/** Options of `prefetchToDevice`. */
export interface PrefetchOptions {
  /** Batches moved ahead of the one the consumer holds (default 1; 0 moves on demand). */
  prefetch?: number;
}

/** @internal What the prefetcher needs from a DataLoader (kept structural: dataLoader.ts imports this file). */
export interface BatchSource {
  /** The batches of one epoch, never freed by the loader (the caller owns them). */
  epoch(): Iterator<unknown>;
  /** Whether `t` is one of the dataset's own tensors (never to be freed). */
  isDataTensor(t: Tensor): boolean;
}

function isBatchSource(x: unknown): x is BatchSource {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as BatchSource).epoch === "function" &&
    typeof (x as BatchSource).isDataTensor === "function"
  );
}

interface Moved {
  readonly source: unknown;
  readonly moved: unknown;
}

/**
 * An async iterable that moves each item of `source` to a device with `dev`, uploading up to `prefetch`
 * items ahead while the caller computes on the current one (MLDataDevices' `DeviceIterator`, plus prefetch).
 *
 * When the next item is requested (and when the loop ends) the previous device item is freed: every tensor
 * that `dev` made (a transfer), and, for a DataLoader source, every batch tensor the loader sliced (on the
 * device already) — never a tensor that was the source item itself outside a loader, nor any of a loader's
 * dataset tensors. Using a freed batch then throws kernels' DisposedTensorError. Host-side batches that a
 * loader sliced only to upload are freed right after their upload.
 *
 * @example
 * for await (const { x, y } of prefetchToDevice(await gpuDevice(), loader, { prefetch: 2 })) {
 *   const g = gradient((m) => loss(m(x), y), model); // x, y live on the GPU; the next batch is uploading
 * }
 */
export function prefetchToDevice<T>(
  dev: DeviceFn,
  source: Iterable<T> | AsyncIterable<T>,
  opts: PrefetchOptions = {},
): AsyncIterable<T> {
  // A move keeps an item's structure (tensors stay tensors, on the device), so the items keep their type.
  return DevicePrefetchIterator(dev, source, opts) as AsyncIterable<T>;
}

class DevicePrefetchIteratorImpl implements AsyncIterable<unknown> {
  readonly prefetch: number;

  constructor(
    readonly dev: DeviceFn,
    readonly source: Iterable<unknown> | AsyncIterable<unknown>,
    opts: PrefetchOptions = {},
  ) {
    if (typeof dev !== "function")
      throw new DataArgumentError(
        "prefetchToDevice: dev must be a device function (e.g. `await gpuDevice()`).",
      );
    const p = opts.prefetch ?? 1;
    if (!Number.isInteger(p) || p < 0)
      throw new DataArgumentError(`prefetchToDevice: prefetch must be an integer >= 0, got ${p}.`);
    this.prefetch = p;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<unknown> {
    const loader: BatchSource | null = isBatchSource(this.source) ? this.source : null;
    // A loader's own epoch() never frees batches: this iterator decides, after the upload.
    const items: Iterator<unknown> | AsyncIterator<unknown> =
      loader !== null
        ? loader.epoch()
        : Symbol.asyncIterator in this.source
          ? this.source[Symbol.asyncIterator]()
          : (this.source as Iterable<unknown>)[Symbol.iterator]();
    // Minted: a tensor the loader sliced (so not the user's), which no one else holds.
    const minted = (t: Tensor): boolean => loader !== null && !loader.isDataTensor(t);
    // Source pulls are chained so that items are read strictly in order, one at a time.
    let tail: Promise<unknown> = Promise.resolve();
    const pull = (): Promise<Moved | null> => {
      const p = tail.then(async () => {
        const r = await items.next();
        if (r.done) return null;
        let moved: unknown;
        try {
          moved = await this.dev(r.value);
        } catch (e) {
          // The batch the loader sliced for this upload is no one else's: free it before rethrowing.
          freeTensors(r.value, minted);
          throw e;
        }
        const after = tensorLeaves(moved);
        freeTensors(r.value, (t) => minted(t) && !after.has(t));
        return { source: r.value, moved };
      });
      tail = p.catch(() => undefined);
      return p;
    };
    const freeMoved = (m: Moved): void => {
      const before = tensorLeaves(m.source);
      freeTensors(m.moved, (t) => !before.has(t) || minted(t));
    };
    const queue: Promise<Moved | null>[] = [];
    let current: Moved | null = null;
    try {
      for (;;) {
        if (queue.length === 0) queue.push(pull()); // prefetch 0: the pull starts only when asked
        const next = await queue.shift()!;
        if (current !== null) freeMoved(current);
        current = next;
        if (next === null) return;
        while (queue.length < this.prefetch) queue.push(pull());
        yield next.moved;
      }
    } finally {
      if (current !== null) freeMoved(current);
      for (const p of queue.splice(0)) {
        const m = await p.catch(() => null);
        if (m !== null) freeMoved(m);
      }
      await items.return?.();
    }
  }
}

/** The iterable `prefetchToDevice` returns; each `for await` over it is one pass over `source`.
 */
export const DevicePrefetchIterator = callableClass(DevicePrefetchIteratorImpl, "DevicePrefetchIterator");
/** An instance of `DevicePrefetchIterator`. */
export type DevicePrefetchIterator = DevicePrefetchIteratorImpl;
