import { FUNCTOR, LEAF } from "./symbols.js";

// Built-in objects with internal state that own enumerable fields do not describe; walking into them (or
// rebuilding them from fields) would lose that state, so they are leaves. Resolved lazily: some runtimes
// lack SharedArrayBuffer or WeakRef.
type AnyConstructor = abstract new (...args: never) => unknown;
let builtinLeaves: readonly AnyConstructor[] | undefined;
function builtinLeafClasses(): readonly AnyConstructor[] {
  builtinLeaves ??= [
    globalThis.ArrayBuffer,
    globalThis.SharedArrayBuffer,
    globalThis.Date,
    globalThis.RegExp,
    globalThis.Promise,
    globalThis.Set,
    globalThis.WeakMap,
    globalThis.WeakSet,
    globalThis.WeakRef,
    globalThis.Error,
  ].filter((c): c is NonNullable<typeof c> => typeof c === "function") as AnyConstructor[];
  return builtinLeaves;
}

/**
 * Says whether `fmap` treats `x` as a leaf (applies its function) rather than a container (walks inside).
 *
 * Leaves: primitives (numbers, strings, booleans, bigint, symbols, `null`, `undefined`), functions, typed
 * arrays and `DataView`, `ArrayBuffer`, `Date`, `RegExp`, `Promise`, `Set`, weak collections, errors, and
 * any object carrying a truthy `LEAF` property (own or inherited). Containers: arrays, `Map`s, plain objects
 * and class instances, and anything whose class was given fields with `functor(Class, fields)` (even with
 * no fields: a container without children is not a leaf, as in Functors.jl).
 *
 * @example
 * isleaf(new Float32Array(3)); // true
 * isleaf({ weight: 1 });       // false
 */
export function isleaf(x: unknown): boolean {
  if (x === null || typeof x !== "object") return true;
  const tagged = x as { [LEAF]?: unknown; [FUNCTOR]?: unknown };
  if (tagged[LEAF]) return true;
  if (Array.isArray(x)) return false;
  if (ArrayBuffer.isView(x)) return true;
  if (tagged[FUNCTOR] !== undefined) return false;
  for (const cls of builtinLeafClasses()) if (x instanceof cls) return true;
  return false;
}
