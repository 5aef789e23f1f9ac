// Which values a device turns into a DeviceIterator instead of walking them as a structure. The rule is
// deliberately narrow, because models may be iterable too (a Chain iterates over its layers): only loaders
// that say so, and one-shot iterators, qualify.

/**
 * The brand a data loader puts on its prototype (`Symbol.for`, so two installed copies agree) to be moved
 * batch by batch: `dev(loader)` then returns a `DeviceIterator`. `@flux/data`'s `DataLoader` carries it.
 *
 * @example
 * Object.defineProperty(MyLoader.prototype, DATALOADER, { value: true });
 */
export const DATALOADER: unique symbol = Symbol.for("flux.dataloader") as never;

/**
 * Whether `dev(x)` treats `x` as a loader: an object carrying the `DATALOADER` brand and iterable (sync or
 * async), or an iterator / generator object (something with a `next` method that is its own iterable).
 * Arrays, typed arrays, Maps, Sets, strings and every other iterable are structures (or leaves), as usual.
 *
 * @example
 * isLoader((function* () { yield 1; })()); // true
 * isLoader([1, 2]);                        // false
 */
export function isLoader(x: unknown): x is Iterable<unknown> | AsyncIterable<unknown> {
  if (x === null || typeof x !== "object") return false;
  const o = x as Record<symbol | string, unknown>;
  const iterable = typeof o[Symbol.iterator] === "function" || typeof o[Symbol.asyncIterator] === "function";
  if (!iterable || Array.isArray(x) || ArrayBuffer.isView(x) || x instanceof Map || x instanceof Set)
    return false;
  if (o[DATALOADER] === true) return true;
  return typeof o.next === "function" && o[Symbol.for("flux.leaf")] !== true;
}
