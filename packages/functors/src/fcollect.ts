import { execute } from "./execute.js";
import type { KeyPath } from "./keyPath.js";
import { CollectWalk, ExcludeWalk } from "./walks.js";

/** Options of `fcollect`. */
export interface FcollectOptions {
  /** Skip these nodes: they are not collected and not walked into. */
  exclude?: (x: any, path: KeyPath) => boolean;
}

/**
 * Lists every node of `x` (containers and leaves, `x` first), depth-first pre-order, each object once
 * (Functors' `fcollect`).
 *
 * Primitives appear every time they occur. Nodes where `exclude` holds are left out together with
 * everything below them. Each object is entered once, so cycles are fine.
 *
 * @example
 * const inner = { w: [1] };
 * fcollect({ a: inner, b: inner }); // [root, inner, [1], 1]
 */
export function fcollect(x: unknown, options: FcollectOptions = {}): unknown[] {
  const collect = CollectWalk();
  const exclude = options.exclude;
  const walk = exclude === undefined ? collect : ExcludeWalk(collect, () => undefined, exclude);
  execute(walk, x, [], { cycles: "allow" });
  return collect.output;
}
