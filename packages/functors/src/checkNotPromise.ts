// One argument check shared by every public entry point that takes a model, a tree or a tensor: a
// Promise there almost always means a missing `await` on a device move, and walking it would silently
// find no leaves (an empty file, an optimiser that trains nothing).
import { UnawaitedPromiseError } from "./errors.js";

/** True for native Promises and any thenable (what `await` would unwrap). */
function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (
    x instanceof Promise ||
    (x !== null &&
      (typeof x === "object" || typeof x === "function") &&
      typeof (x as { then?: unknown }).then === "function")
  );
}

/**
 * Throws `UnawaitedPromiseError` when `value` is a Promise (or thenable), naming the function and the
 * argument; returns `value` otherwise.
 *
 * @example
 * export function setup(rule, model) { checkNotPromise(model, "setup", "model"); ... }
 */
export function checkNotPromise<T>(value: T, fn: string, argument: string): T {
  if (isThenable(value)) throw new UnawaitedPromiseError(fn, argument);
  return value;
}
