// DataLoader: MLUtils' mini-batch iterator, sync and async, with per-epoch reshuffling from an Rng.
import type { DATALOADER } from "@flux/devices";
import { callableClass, checkNotPromise } from "@flux/functors";
import type { Rng, Tensor } from "@flux/kernels";
import { batch } from "./batch.js";
import type { LoaderBatch } from "./batchTypes.js";
import { DataArgumentError } from "./errors.js";
import { getobs, numobs } from "./observation.js";
import { checkOptionKeys } from "./options.js";
import { type BatchSource, DevicePrefetchIterator, type PrefetchOptions } from "./prefetch.js";
import { flagOption, rngOption } from "./checkArgs.js";
import { randperm } from "./shuffleobs.js";
import { DEVICE_ITERATOR } from "./symbols.js";
import { expandedSummary, showArg } from "./summary.js";
import { freeTensors, tensorLeaves } from "./tensorLeaves.js";

/**
 * How a batch is assembled from its indices (MLUtils' `collate`): `null`/omitted → `getobs(data, indices)`;
 * `false` → the array of single observations; `true` → `batch(observations)`; a function → applied to the
 * array of single observations.
 */
export type Collate = null | boolean | ((observations: unknown[]) => unknown);

/** Options of `DataLoader` (MLUtils' keywords). */
export interface DataLoaderOptions {
  /** Observations per batch (default 1, which KEEPS the observation dim); below 0: single observations. */
  batchsize?: number;
  /** Draw a new order from `rng` at the start of every epoch (default false). */
  shuffle?: boolean;
  /** Keep the short last batch (default true); `false` drops it. */
  partial?: boolean;
  /** The generator for `shuffle` (kernels' `defaultRng()` when omitted). */
  rng?: Rng;
  /** How a batch is assembled from its observations (default `null`: `getobs(data, indices)`). */
  collate?: Collate;
  /**
   * Async iteration prepares the next batches ahead of the consumer, on the MAIN thread, while the
   * consumer awaits (no worker threads: see the README). Sync iteration ignores it.
   */
  parallel?: boolean;
  /**
   * Reuse memory like MLUtils' `buffer=true`: each batch is valid only until the next one is requested
   * (or the loop ends); then its tensors are freed (never the dataset's own tensors).
   */
  buffer?: boolean;
}

/** The option keys `DataLoader` knows (MLUtils' keyword names, all lower case). */
const OPTION_KEYS: readonly (keyof DataLoaderOptions)[] = [
  "batchsize",
  "shuffle",
  "partial",
  "rng",
  "collate",
  "parallel",
  "buffer",
];

/** How many batches `parallel: true` keeps ready ahead of the consumer. */
const PARALLEL_AHEAD = 2;

/**
 * The callable constructor type of `DataLoader` (works with and without `new`). The batch type follows the
 * data and the options (`LoaderBatch`): a tensor gives tensor batches, `[X, Y]` gives `[Tensor, Tensor]`.
 */
export interface DataLoaderConstructor {
  new <const D, const Opts extends DataLoaderOptions>(
    data: D,
    opts?: Opts,
  ): DataLoader<LoaderBatch<D, Opts>, D>;
  <const D, const Opts extends DataLoaderOptions>(data: D, opts?: Opts): DataLoader<LoaderBatch<D, Opts>, D>;
  readonly prototype: DataLoader;
}

// B is the batch type (what iteration yields), D the data's type; both only describe the run-time values.
class DataLoaderImpl<B = unknown, D = unknown> implements Iterable<B>, AsyncIterable<B>, BatchSource {
  /** The original data container (MLUtils' `d.data`). */
  readonly data: D;
  readonly batchsize: number;
  readonly shuffle: boolean;
  readonly partial: boolean;
  readonly rng: Rng;
  readonly collate: Collate;
  readonly parallel: boolean;
  readonly buffer: boolean;
  readonly #rngGiven: boolean;
  #dataTensors: Set<Tensor> | null = null;

  constructor(data: D, options?: DataLoaderOptions) {
    checkNotPromise(data, "DataLoader", "data");
    const opts = checkOptionKeys<DataLoaderOptions>("DataLoader", options, OPTION_KEYS);
    const bs = opts.batchsize ?? 1;
    if (!Number.isInteger(bs) || bs === 0)
      throw new DataArgumentError(
        `DataLoader: batchsize must be a positive integer (or negative for single observations), got ${bs}.`,
      );
    const collate = opts.collate ?? null;
    if (collate !== null && typeof collate !== "boolean" && typeof collate !== "function")
      throw new DataArgumentError("DataLoader: collate must be null, true, false or a function.");
    numobs(data); // fail now on a non-container or mismatched parts, not at the first batch
    this.data = data;
    this.batchsize = bs;
    this.shuffle = flagOption("DataLoader", "shuffle", opts.shuffle, false);
    this.partial = flagOption("DataLoader", "partial", opts.partial, true);
    this.#rngGiven = opts.rng !== undefined;
    this.rng = rngOption("DataLoader", opts.rng);
    this.collate = collate;
    this.parallel = flagOption("DataLoader", "parallel", opts.parallel, false);
    this.buffer = flagOption("DataLoader", "buffer", opts.buffer, false);
  }

  /** The number of batches per epoch (MLUtils' `length(d)`). */
  get length(): number {
    const n = numobs(this.data);
    if (this.batchsize < 0) return n;
    return this.partial ? Math.ceil(n / this.batchsize) : Math.floor(n / this.batchsize);
  }

  *epoch(rng: Rng = this.rng): Generator<B, void, undefined> {
    const n = numobs(this.data);
    const order = this.shuffle ? randperm(n, rng) : null;
    const at = (i: number): number => (order === null ? i : order[i]!);
    if (this.batchsize < 0) {
      for (let i = 0; i < n; i++) yield getobs(this.data, at(i)) as B;
      return;
    }
    for (let start = 0; start < n; start += this.batchsize) {
      const stop = Math.min(n, start + this.batchsize);
      if (stop - start < this.batchsize && !this.partial) return;
      yield this.#collate(Array.from({ length: stop - start }, (_, k) => at(start + k)));
    }
  }

  #collate(indices: number[]): B {
    const c = this.collate;
    // The batch types (batchTypes.ts) describe what these run-time rules build.
    if (c === null) return getobs(this.data, indices) as B;
    const obs = indices.map((i) => getobs(this.data, i));
    if (c === false) return obs as B;
    return (c === true ? batch(obs) : c(obs)) as B;
  }

  isDataTensor(t: Tensor): boolean {
    this.#dataTensors ??= tensorLeaves(this.data);
    return this.#dataTensors.has(t);
  }

  #freeBatch = (b: unknown): void => freeTensors(b, (t) => !this.isDataTensor(t));

  *[Symbol.iterator](): Iterator<B> {
    if (!this.buffer) {
      yield* this.epoch();
      return;
    }
    let prev: B | undefined;
    try {
      for (const b of this.epoch()) {
        if (prev !== undefined) this.#freeBatch(prev);
        prev = b;
        yield b;
      }
    } finally {
      if (prev !== undefined) this.#freeBatch(prev);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    if (!this.parallel) {
      yield* this[Symbol.iterator]() as Generator<B>;
      return;
    }
    let prev: B | undefined;
    const ahead = new AheadQueue(this.epoch(), PARALLEL_AHEAD);
    try {
      for (;;) {
        const next = await ahead.take();
        if (this.buffer && prev !== undefined) this.#freeBatch(prev);
        if (next.done) return;
        prev = next.value as B;
        yield next.value as B;
      }
    } finally {
      if (this.buffer && prev !== undefined) this.#freeBatch(prev);
      for (const b of ahead.drain()) this.#freeBatch(b);
    }
  }

  /** The move-to-device hook: `dev(loader)` from @flux/devices delegates here (see `prefetchToDevice`). */
  [DEVICE_ITERATOR](dev: (x: unknown) => unknown, opts?: PrefetchOptions): AsyncIterable<B> {
    return DevicePrefetchIterator(dev, this, opts) as AsyncIterable<B>;
  }

  /**
   * The brand @flux/devices' `isLoader` looks for, in the type too: `gpu(loader)` is then typed as the
   * `DeviceIterator` of this loader's batches that it returns (set on the prototype below).
   */
  declare readonly [DATALOADER]: true;

  /** One line like MLUtils' `show`: `DataLoader(::Tensor{f32} 784×60000, batchsize=128)`. */
  toString(): string {
    const parts = [`::${showArg(this.data)}`];
    if (this.buffer) parts.push("buffer=true");
    if (this.parallel) parts.push("parallel=true");
    if (this.shuffle) parts.push("shuffle=true");
    if (this.batchsize !== 1) parts.push(`batchsize=${this.batchsize}`);
    if (!this.partial) parts.push("partial=false");
    if (this.collate !== null)
      parts.push(
        `collate=${typeof this.collate === "function" ? this.collate.name || "Function" : this.collate}`,
      );
    if (this.#rngGiven) parts.push("rng=Rng");
    return `DataLoader(${parts.join(", ")})`;
  }

  /**
   * MLUtils' text/plain display: `469-element DataLoader(...)` and the summary of the first batch. The
   * first batch is drawn with a copy of `rng` (printing never changes the shuffle order) and then freed.
   */
  describe(): string {
    // A stand-in generator without clone() (any object with int() may shuffle) is drawn from directly.
    const it = this.epoch(typeof this.rng.clone === "function" ? this.rng.clone() : this.rng);
    const first = it.next();
    const summary = first.done ? "nothing (no batches)" : expandedSummary(first.value);
    if (!first.done) this.#freeBatch(first.value);
    it.return();
    return `${this.length}-element ${this.toString()}\n  with first element:\n  ${summary}`;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.describe();
  }
}

/**
 * Keeps up to `depth` batches produced ahead of the consumer, one per macrotask, so that producing them
 * interleaves with the consumer's awaits instead of blocking it.
 */
class AheadQueue {
  readonly #ready: unknown[] = [];
  #done = false;
  #error: unknown = undefined;
  #waiter: (() => void) | null = null;
  #scheduled = false;

  constructor(
    readonly source: Iterator<unknown>,
    readonly depth: number,
  ) {
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#done || this.#ready.length >= this.depth) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      try {
        const r = this.source.next();
        if (r.done) this.#done = true;
        else this.#ready.push(r.value);
      } catch (e) {
        this.#error = e;
        this.#done = true;
      }
      this.#waiter?.();
      this.#schedule();
    }, 0);
  }

  async take(): Promise<IteratorResult<unknown>> {
    while (this.#ready.length === 0 && !this.#done) {
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
      });
      this.#waiter = null;
    }
    if (this.#ready.length > 0) {
      const value = this.#ready.shift();
      this.#schedule();
      return { done: false, value };
    }
    if (this.#error !== undefined) throw this.#error;
    return { done: true, value: undefined };
  }

  /** Stops producing and hands back what was made but never taken (for freeing). */
  drain(): unknown[] {
    this.#done = true;
    this.source.return?.();
    return this.#ready.splice(0);
  }
}

// The brand @flux/devices looks for (its isLoader): `dev(loader)` then iterates batch by batch instead of
// walking the loader's fields as a model.
Object.defineProperty(DataLoaderImpl.prototype, Symbol.for("flux.dataloader"), { value: true });

/**
 * An iterator over mini-batches of `data` (MLUtils' `DataLoader`); call with or without `new`.
 *
 * Each batch holds `batchsize` observations along the last dim (the default 1 keeps that dim: a `[784, 1]`
 * batch); the short last batch is kept unless `partial: false`. `shuffle: true` draws a new order from
 * `rng` at the start of every epoch, so two loaders with `rng(seed)` give the same batches. Iterate it
 * with `for...of` (sync: tensors are sliced on their own device, no readback) or `for await` (with
 * `parallel: true` the next batches are prepared ahead). `length` is the number of batches; printing is
 * MLUtils'. `await gpu(loader)` / `prefetchToDevice(dev, loader)` moves each batch to a device.
 *
 * @example
 * const loader = DataLoader({ x: X, y: Y }, { batchsize: 128, shuffle: true, rng: rng(1) });
 * String(loader); // "DataLoader(::{x: Tensor{f32} 784×60000, y: Int32Array 60000}, shuffle=true, batchsize=128, rng=Rng)"
 * for (const { x, y } of loader) { ... }   // x: 784×128 tensor, y: Int32Array(128)
 */
export const DataLoader = callableClass(DataLoaderImpl, "DataLoader") as unknown as DataLoaderConstructor;

/**
 * A DataLoader instance (see `DataLoader`) whose batches have type `B` and whose data has type `D`.
 *
 * @example
 * const loader: DataLoader<[Tensor, Tensor]> = DataLoader([x, y], { batchsize: 32 });
 */
export type DataLoader<B = unknown, D = unknown> = DataLoaderImpl<B, D>;

/**
 * Whether `x` is a DataLoader.
 *
 * @example
 * isDataLoader(DataLoader(X)); // true
 */
export function isDataLoader(x: unknown): x is DataLoader {
  return x instanceof DataLoaderImpl;
}
