// How `fmap(f, x, ...ys, opts?)` tells an options object from one more tree. The rule (documented in the
// README and tested in options.test.ts): the last argument is options when
//   1. it was made by `fmapOptions({...})` (a brand symbol), or
//   2. it is a plain object (prototype Object.prototype or null) without the leaf symbol, every own key is
//      one of exclude / walk / cache / prune with a value of the right type, AND the first tree is not a
//      container with exactly the same keys (then the argument is taken as a tree to zip with it).
// Rule 2 is what people write (`fmap(f, m, { cache: false })`); rule 1 settles the rare ambiguous case.
import type { Walk } from "./execute.js";
import type { KeyPath } from "./keyPath.js";
import { isleaf } from "./isleaf.js";
import { viewNode } from "./node.js";

/** Options shared by `fmap`, `fmapstructure` and `fmapWithPath`. */
export interface CommonMapOptions {
  /**
   * The walk to run at containers (default `DefaultWalk`, or `StructuralWalk` for `fmapstructure`). It is
   * wrapped in the leaf test and (unless `cache` is off) a `CachedWalk`.
   */
  walk?: Walk;
  /**
   * The identity cache: `true` (default) for a fresh one, `false`/`null` for none, or your own `Map` to keep
   * sharing across several calls. With a cache an object met twice maps to one result.
   */
  cache?: boolean | null | Map<unknown, unknown>;
  /** When present (even `undefined`), the value used for the second and later occurrences of an object. */
  prune?: unknown;
}

/** Options of `fmap` and `fmapstructure`. */
export interface FmapOptions extends CommonMapOptions {
  /** Also treat as a leaf (apply `f`, do not walk inside) wherever this returns true. */
  exclude?: (x: any, path: KeyPath) => boolean;
}

/** Options of `fmapWithPath`. */
export interface FmapWithPathOptions extends CommonMapOptions {
  /** Also treat as a leaf wherever this returns true; receives the key path first, as `f` does. */
  exclude?: (path: KeyPath, x: any) => boolean;
}

const BRAND = Symbol.for("flux.functors.options");
const OPTION_CHECKS: Record<string, (v: unknown) => boolean> = {
  exclude: (v) => v === undefined || typeof v === "function",
  walk: (v) =>
    v === undefined || (typeof v === "object" && v !== null && typeof (v as Walk).walk === "function"),
  cache: (v) => v === undefined || v === null || typeof v === "boolean" || v instanceof Map,
  prune: () => true,
};

/**
 * Marks an object as the options of `fmap` / `fmapstructure` / `fmapWithPath`, so it is never mistaken
 * for one more tree.
 *
 * Only needed when the options could look like a tree zipped with the first one, e.g. when the first tree
 * itself is a plain object with keys `cache` or `prune`. Returns a branded shallow copy.
 *
 * @example
 * fmap(f, { prune: 1 }, fmapOptions({ prune: 0 }));
 */
export function fmapOptions<O extends CommonMapOptions>(options: O): O {
  const copy = { ...options };
  Object.defineProperty(copy, BRAND, { value: true, enumerable: false });
  return copy;
}

/** Splits `[...ys, opts?]` following the rule at the top of this file. */
export function splitTreesAndOptions<O extends CommonMapOptions>(
  x: unknown,
  rest: readonly unknown[],
): { ys: unknown[]; options: O } {
  if (rest.length === 0) return { ys: [], options: {} as O };
  const last = rest[rest.length - 1];
  return isOptions(x, last)
    ? { ys: rest.slice(0, -1), options: last as O }
    : { ys: [...rest], options: {} as O };
}

function isOptions(x: unknown, candidate: unknown): boolean {
  if (candidate === null || typeof candidate !== "object") return false;
  if ((candidate as { [BRAND]?: unknown })[BRAND] === true) return true;
  const proto = Object.getPrototypeOf(candidate);
  if ((proto !== Object.prototype && proto !== null) || isleaf(candidate)) return false;
  const keys = Reflect.ownKeys(candidate);
  const valid = keys.every(
    (k) =>
      typeof k === "string" &&
      Object.hasOwn(OPTION_CHECKS, k) &&
      OPTION_CHECKS[k]!((candidate as Record<string, unknown>)[k]),
  );
  if (!valid) return false;
  const view = viewNode(x);
  const sameKeys =
    view?.kind === "object" && view.keys.length === keys.length && keys.every((k) => view.keys.includes(k));
  return !sameKeys;
}
