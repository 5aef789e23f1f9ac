import { execute, type Recurse, type Walk } from "./execute.js";
import { isleaf } from "./isleaf.js";
import type { KeyPath } from "./keyPath.js";
import { mapChildren } from "./walks.js";

/** Options of `fleaves` and `fleavesWithPath`. */
export interface FleavesOptions {
  /** Also treat as a leaf (list it, do not walk inside) wherever this returns true. */
  exclude?: (x: any, path: KeyPath) => boolean;
}

/**
 * Lists the leaves of `x`, depth first, each object once (Functors' `fleaves`).
 *
 * A leaf object reachable along several paths appears once (where first met), as do the leaves of a shared
 * subtree; primitives appear every time they occur. Each object is entered once, so cycles are fine.
 *
 * @example
 * const w = new Float32Array(2);
 * fleaves({ a: 1, b: [w, 2], c: w }); // [1, w, 2]
 */
export function fleaves(x: unknown, options: FleavesOptions = {}): unknown[] {
  return collectLeaves(x, options).map(([, leaf]) => leaf);
}

/**
 * Lists `[keyPath, leaf]` pairs of `x`, in `fleaves` order: each leaf with the path where it was first met.
 *
 * @example
 * fleavesWithPath({ a: [1, 2] }); // [[["a", 0], 1], [["a", 1], 2]]
 */
export function fleavesWithPath(x: unknown, options: FleavesOptions = {}): [KeyPath, unknown][] {
  return collectLeaves(x, options);
}

function collectLeaves(x: unknown, options: FleavesOptions): [KeyPath, unknown][] {
  const exclude = options.exclude;
  const seen = new Set<unknown>();
  const out: [KeyPath, unknown][] = [];
  const walk: Walk = {
    walk(recurse: Recurse, node: unknown, _ys: readonly unknown[], path: KeyPath) {
      if (node !== null && (typeof node === "object" || typeof node === "function")) {
        if (seen.has(node)) return;
        seen.add(node);
      }
      if (isleaf(node) || exclude?.(node, path)) out.push([path, node]);
      else mapChildren(recurse, node, [], path);
    },
  };
  execute(walk, x, [], { cycles: "allow" });
  return out;
}
