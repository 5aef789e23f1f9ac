// DeviceIterator (MLDataDevices' `DeviceIterator`, CUDA.jl's `CuIterator`): moves each batch of a loader to a
// device and frees the previous device batch when the next one is requested, and the last one when the loop
// ends in any way, so one epoch holds at most one batch of device memory and a `break` leaks nothing.
// @flux/data's prefetchToDevice keeps the same rule in its own code, on purpose: it accepts any `(x) => x`
// device function (so it infers what it made by comparing tensor sets, where moveTree here reports it), it owns
// the loader's sliced batches too, and it imports nothing from @flux/devices at run time.
import { callableClass } from "@flux/functors";
import type { Tensor } from "@flux/kernels";
import type { Device } from "./device.js";
import { DevicesError } from "./errors.js";
import { isLoader } from "./isLoader.js";
import { moveTree, type TransferOptions } from "./transfer.js";

class DeviceIteratorImpl<T = unknown> implements AsyncIterable<T> {
  /** The iterable whose items are moved. */
  readonly source: Iterable<T> | AsyncIterable<T>;
  readonly #device: Device | Promise<Device>;
  readonly #options: TransferOptions | undefined;

  constructor(
    device: Device | Promise<Device>,
    source: Iterable<T> | AsyncIterable<T>,
    options?: TransferOptions,
  ) {
    const s = source as unknown as Record<symbol, unknown> | null;
    if (
      s === null ||
      (typeof s !== "object" && typeof s !== "function") ||
      (typeof s[Symbol.iterator] !== "function" && typeof s[Symbol.asyncIterator] !== "function")
    ) {
      throw new DevicesError(
        "ERR_ARGUMENT",
        `DeviceIterator(device, source): source must be iterable or async iterable, got ${describeValue(source)}.`,
      );
    }
    this.#device = device;
    this.source = source;
    this.#options = options;
  }

  /** The target device (a Promise until `gpu(loader)`'s selection has finished). */
  get device(): Device | Promise<Device> {
    return this.#device;
  }

  /** The source's `length` when it has one (a DataLoader's number of batches), else `undefined`. */
  get length(): number | undefined {
    const n = (this.source as { length?: unknown }).length;
    return typeof n === "number" ? n : undefined;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const dev = await this.#device;
    const hook = (this.source as unknown as Record<symbol, unknown>)[DEVICE_ITERATOR];
    if (typeof hook === "function") {
      // The source moves itself (e.g. @flux/data's DataLoader, which prefetches and frees its own batches).
      const opts = this.#options;
      const mover = opts === undefined ? dev : (x: unknown) => dev(x, opts);
      yield* hook.call(this.source, mover) as AsyncIterable<T>;
      return;
    }
    let previous: readonly Tensor[] = [];
    try {
      for await (const item of this.source as AsyncIterable<T>) {
        free(previous);
        previous = [];
        const moved = await moveTree(dev, item, this.#options);
        previous = moved.created;
        yield moved.value;
      }
    } finally {
      // Runs at exhaustion and when the consumer leaves early (its `return()` resumes the `yield` above as a
      // return), and when the source throws: only the tensors this iterator created are freed.
      free(previous);
    }
  }

  toString(): string {
    const d = this.#device instanceof Promise ? "gpuDevice()" : String(this.#device);
    return `DeviceIterator(${d}, ${describeValue(this.source)})`;
  }
}

/**
 * An async iterable that moves each item of `source` to `device` (like `await device(item)`).
 *
 * When the next item is requested (including the request that finds the source exhausted), the tensors
 * created for the previous item are disposed; tensors that already lived on the device are never freed.
 * Leaving the loop early (`break`, `return`, or an error thrown in the loop body: `for await` then calls the
 * iterator's `return()`) frees the last yielded batch too, so copy what you need to keep (`await t.data()`,
 * or `await cpu(t)`) before leaving. Using a freed batch afterwards throws @flux/kernels'
 * `DisposedTensorError`. Each `for await` iterates the source
 * afresh (one epoch). `device` may be a Promise of a device (what `gpu(loader)` passes). A source with a
 * `DEVICE_ITERATOR` hook moves itself (prefetching loaders).
 *
 * @example
 * const dev = await gpuDevice();
 * for await (const [x, y] of DeviceIterator(dev, loader)) {
 *   // x, y live on dev; the previous batch was freed
 * }
 */
export const DeviceIterator = callableClass(
  DeviceIteratorImpl,
  "DeviceIterator",
) as typeof DeviceIteratorImpl &
  (<T>(
    device: Device | Promise<Device>,
    source: Iterable<T> | AsyncIterable<T>,
    options?: TransferOptions,
  ) => DeviceIteratorImpl<T>);
/** An instance of `DeviceIterator`. */
export type DeviceIterator<T = unknown> = DeviceIteratorImpl<T>;

/**
 * The key of a source's own "move me to a device" hook (`Symbol.for("flux.deviceIterator")`): when a source
 * has a function there, `DeviceIterator` iterates `source[DEVICE_ITERATOR](dev)` instead of moving items itself.
 * `@flux/data`'s `DataLoader` uses it to add prefetching.
 *
 * @example
 * Object.defineProperty(MyLoader.prototype, DEVICE_ITERATOR, { value(dev) { return myPrefetcher(dev, this); } });
 */
export const DEVICE_ITERATOR: unique symbol = Symbol.for("flux.deviceIterator") as never;

function free(tensors: readonly Tensor[]): void {
  for (const t of tensors) t.dispose();
}

function describeValue(x: unknown): string {
  if (x === null || (typeof x !== "object" && typeof x !== "function")) return String(x);
  return (x as object).constructor?.name ?? "object";
}

/**
 * @internal `DeviceIterator(dev, x)` when `x` is a loader by the `isLoader` rule, else `undefined`.
 */
export function makeDeviceIterator(
  dev: Device | Promise<Device>,
  x: unknown,
  options?: TransferOptions,
): DeviceIterator | undefined {
  return isLoader(x) ? DeviceIterator(dev, x, options) : undefined;
}
