// The shared body of fmap, fmapstructure and fmapWithPath: Functors' `fmap` composition
// CachedWalk(ExcludeWalk(walk, f, exclude)), run with `execute`.
import { execute, type Walk } from "./execute.js";
import { isleaf } from "./isleaf.js";
import type { KeyPath } from "./keyPath.js";
import type { CommonMapOptions } from "./options.js";
import { CachedWalk, ExcludeWalk } from "./walks.js";

export function mapTrees(
  fn: (x: unknown, ys: readonly unknown[], path: KeyPath) => unknown,
  exclude: ((x: unknown, path: KeyPath) => boolean) | undefined,
  walk: Walk,
  x: unknown,
  ys: readonly unknown[],
  options: CommonMapOptions,
): unknown {
  // `exclude` adds leaves; it never makes a leaf walkable (write a custom walk for that).
  const isStop = exclude === undefined ? isleaf : (v: unknown, p: KeyPath) => isleaf(v) || exclude(v, p);
  let composed: Walk = ExcludeWalk(walk, fn, isStop);
  const cache = options.cache ?? true;
  if (cache !== false && cache !== null) {
    composed = CachedWalk(composed, {
      cache: cache === true ? new Map() : cache,
      ...("prune" in options ? { prune: options.prune } : {}),
    });
  }
  return execute(composed, x, ys);
}
