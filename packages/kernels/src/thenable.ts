// Whether a value is a Promise (or any thenable): the "did you forget `await`?" checks of the ops, the
// device option and gradient. @flux/functors has the same test, but kernels does not depend on it.

/** @internal True for a Promise or any object or function with a `then` method. */
export function isThenable(v: unknown): boolean {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as { then?: unknown }).then === "function"
  );
}
