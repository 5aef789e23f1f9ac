import { FunctorCycleError } from "./errors.js";
import type { Key, KeyPath } from "./keyPath.js";

/**
 * Continues a walk into one child: `recurse(key, child, childrenOfOtherTrees)`.
 *
 * The key extends the key path that the next walk call receives.
 */
export type Recurse = (key: Key, x: unknown, ys: readonly unknown[]) => unknown;

/**
 * A walk: what to do at one node of a tree (Functors' `AbstractWalk`).
 *
 * `walk` receives a `recurse` function to call on the children it wants to visit, the node `x`, the
 * matching nodes `ys` of the other trees walked alongside, and the key path of `x` from the root. Compose
 * the built-in walks (`DefaultWalk`, `StructuralWalk`, `ExcludeWalk`, `CachedWalk`, `CollectWalk`) or write
 * your own; run one with `execute` or pass it to `fmap(..., { walk })`.
 *
 * @example
 * const countWalk: Walk = {
 *   walk: (recurse, x) => (isleaf(x) ? 1 : mapChildren(recurse, x, []).reduce((a, b) => a + Number(b), 0)),
 * };
 * execute(countWalk, { a: 1, b: [2, 3] }); // 3
 */
export interface Walk {
  walk(recurse: Recurse, x: unknown, ys: readonly unknown[], path: KeyPath): unknown;
}

/** Options of `execute`. */
export interface ExecuteOptions {
  /**
   * `"throw"` (default): meeting an object inside itself throws `FunctorCycleError`. `"allow"`: no check;
   * only for walks that visit each object once (otherwise a cycle recurses forever).
   */
  cycles?: "throw" | "allow";
}

/**
 * Runs `walk` from the root `x` (and the roots `ys` of other trees), Functors' `execute`.
 *
 * Builds the `recurse` function the walk calls for children, tracks key paths, and (by default) refuses
 * cycles with a `FunctorCycleError` naming where the object was met again.
 *
 * @example
 * execute(ExcludeWalk(DefaultWalk(), (x) => Number(x) * 2, isleaf), [1, [2]]); // [2, [4]]
 */
export function execute(
  walk: Walk,
  x: unknown,
  ys: readonly unknown[] = [],
  options: ExecuteOptions = {},
): unknown {
  const detect = (options.cycles ?? "throw") === "throw";
  // Objects on the current root-to-node branch, with the path where each was entered.
  const ancestors = new Map<unknown, KeyPath>();

  const visit = (node: unknown, others: readonly unknown[], path: KeyPath): unknown => {
    const tracked = detect && node !== null && (typeof node === "object" || typeof node === "function");
    if (tracked) {
      const first = ancestors.get(node);
      if (first !== undefined) throw new FunctorCycleError(path, first);
      ancestors.set(node, path);
    }
    try {
      const recurse: Recurse = (key, child, childYs) => visit(child, childYs, [...path, key]);
      return walk.walk(recurse, node, others, path);
    } finally {
      if (tracked) ancestors.delete(node);
    }
  };
  return visit(x, ys, []);
}
