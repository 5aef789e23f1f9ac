// The building blocks `fmap` and friends are made of (Functors' walks.jl). Each is a few lines; compose
// them, or write a `Walk` of your own with `mapChildren`.
import { callableClass } from "./callableClass.js";
import type { Recurse, Walk } from "./execute.js";
import type { KeyPath } from "./keyPath.js";
import { childOf, rebuildNode, structureNode, viewNode } from "./node.js";

/**
 * Calls `recurse` on every child of `x`, with the matching children of the other trees `ys`, and returns
 * the results in child order (an empty array for a leaf).
 *
 * The helper every container walk needs. `op` names the caller in structure-mismatch errors.
 *
 * @example
 * const doubled = { walk: (recurse, x) => (typeof x === "number" ? 2 * x : mapChildren(recurse, x, [])) };
 * execute(doubled, { a: 1, b: [2] }); // [2, [4]]
 */
export function mapChildren(
  recurse: Recurse,
  x: unknown,
  ys: readonly unknown[],
  path: KeyPath = [],
  op = "walk",
): unknown[] {
  const view = viewNode(x);
  if (view === undefined) return [];
  return view.keys.map((key, i) =>
    recurse(
      key,
      view.values[i],
      ys.map((y, j) => childOf(op, y, key, x, view, path, j + 1)),
    ),
  );
}

class DefaultWalkImpl implements Walk {
  walk(recurse: Recurse, x: unknown, ys: readonly unknown[], path: KeyPath): unknown {
    const view = viewNode(x);
    if (view === undefined) return x;
    return rebuildNode(x, view, mapChildren(recurse, x, ys, path, "fmap"));
  }
}

/**
 * Walks the children of `x` (zipped with those of `ys`) and rebuilds a container like `x` from the results
 * (Functors' `DefaultWalk`). A leaf comes back unchanged.
 *
 * @example
 * execute(ExcludeWalk(DefaultWalk(), (x) => -Number(x), isleaf), { w: [1, 2] }); // { w: [-1, -2] }
 */
export const DefaultWalk = callableClass(DefaultWalkImpl, "DefaultWalk");
/** A `DefaultWalk` (see the constructor). */
export type DefaultWalk = DefaultWalkImpl;

class StructuralWalkImpl implements Walk {
  walk(recurse: Recurse, x: unknown, ys: readonly unknown[], path: KeyPath): unknown {
    const view = viewNode(x);
    if (view === undefined) return x;
    return structureNode(view, mapChildren(recurse, x, ys, path, "fmapstructure"));
  }
}

/**
 * Like `DefaultWalk`, but builds plain arrays, Maps and plain objects instead of containers like `x`
 * (Functors' `StructuralWalk`): class instances lose their prototype and non-child fields.
 *
 * @example
 * execute(ExcludeWalk(StructuralWalk(), (x) => x, isleaf), Dense(2, 3)); // { weight, bias }
 */
export const StructuralWalk = callableClass(StructuralWalkImpl, "StructuralWalk");
/** A `StructuralWalk` (see the constructor). */
export type StructuralWalk = StructuralWalkImpl;

class ExcludeWalkImpl implements Walk {
  constructor(
    readonly inner: Walk,
    readonly fn: (x: unknown, ys: readonly unknown[], path: KeyPath) => unknown,
    readonly exclude: (x: unknown, path: KeyPath) => boolean,
  ) {}
  walk(recurse: Recurse, x: unknown, ys: readonly unknown[], path: KeyPath): unknown {
    return this.exclude(x, path) ? this.fn(x, ys, path) : this.inner.walk(recurse, x, ys, path);
  }
}

/**
 * Applies `fn(x, ys, path)` where `exclude(x, path)` holds, and defers to `inner` elsewhere (Functors'
 * `ExcludeWalk`). `fmap` wraps its walk in one of these with `exclude = isleaf`.
 *
 * @example
 * ExcludeWalk(DefaultWalk(), (x) => String(x), isleaf);
 */
export const ExcludeWalk = callableClass(ExcludeWalkImpl, "ExcludeWalk");
/** A `ExcludeWalk` (see the constructor). */
export type ExcludeWalk = ExcludeWalkImpl;

/** Options of `CachedWalk`. */
export interface CachedWalkOptions {
  /** The identity cache (object → result); pass your own to share it between calls. Default: a new Map. */
  cache?: Map<unknown, unknown>;
  /** When present (even `undefined`), returned for the second and later visits of an object. */
  prune?: unknown;
}

class CachedWalkImpl implements Walk {
  readonly cache: Map<unknown, unknown>;
  readonly #prune: { value: unknown } | undefined;
  constructor(
    readonly inner: Walk,
    options: CachedWalkOptions = {},
  ) {
    this.cache = options.cache ?? new Map();
    this.#prune = "prune" in options ? { value: options.prune } : undefined;
  }
  walk(recurse: Recurse, x: unknown, ys: readonly unknown[], path: KeyPath): unknown {
    const cacheable = x !== null && (typeof x === "object" || typeof x === "function");
    if (cacheable && this.cache.has(x)) return this.#prune ? this.#prune.value : this.cache.get(x);
    const out = this.inner.walk(recurse, x, ys, path);
    if (cacheable) this.cache.set(x, out);
    return out;
  }
}

/**
 * Remembers the result of `inner` for each object it visits, keyed by identity, and returns that same
 * result when the object comes again (Functors' `CachedWalk`): shared leaves and subtrees stay shared.
 *
 * Only objects and functions are cached; primitives are walked every time. With `prune`, later visits
 * return the prune value instead. The cache is keyed by the first tree only.
 *
 * @example
 * const w = new Float32Array(2);
 * const out = fmap((x) => x.slice(), { a: w, b: w }); // out.a === out.b
 */
export const CachedWalk = callableClass(CachedWalkImpl, "CachedWalk");
/** A `CachedWalk` (see the constructor). */
export type CachedWalk = CachedWalkImpl;

class CollectWalkImpl implements Walk {
  readonly seen = new Set<unknown>();
  readonly output: unknown[] = [];
  walk(recurse: Recurse, x: unknown): unknown[] {
    if (x !== null && (typeof x === "object" || typeof x === "function")) {
      if (this.seen.has(x)) return this.output;
      this.seen.add(x);
    }
    this.output.push(x);
    mapChildren(recurse, x, []);
    return this.output;
  }
}

/**
 * Collects every node it visits, in depth-first pre-order, each object once (Functors' `CollectWalk`).
 *
 * Primitives are collected every time they occur. Visiting each object once means a cycle ends the
 * recursion, so run it with `execute(walk, x, [], { cycles: "allow" })` if cycles may occur. The result is
 * `walk.output` (also returned by every call).
 *
 * @example
 * const w = CollectWalk();
 * execute(w, { a: [1] }); // w.output: [{ a: [1] }, [1], 1]
 */
export const CollectWalk = callableClass(CollectWalkImpl, "CollectWalk");
/** A `CollectWalk` (see the constructor). */
export type CollectWalk = CollectWalkImpl;
