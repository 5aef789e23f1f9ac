// Walking state trees (what `setup` builds: Leafs, nulls, and plain arrays / objects / Maps of them) in step
// with a model and a gradient tree.
import { children } from "@flux/functors";
import { isTensor } from "@flux/kernels";
import { OptimStructureError } from "./errors.js";
import { type Leaf, isOptimLeaf } from "./leaf.js";

/** A state tree: `Leaf` per trainable tensor, `null` where nothing is trainable. */
export type StateTree =
  | Leaf
  | null
  | readonly StateTree[]
  | { readonly [key: string]: StateTree }
  | ReadonlyMap<unknown, StateTree>;

/** A key path for messages: `layers.0.weight`. */
export function pathString(path: readonly unknown[]): string {
  return path.map(String).join(".");
}

/** The `[key, child]` pairs of a state-tree container. */
export function entriesOf(node: object): [unknown, unknown][] {
  if (Array.isArray(node)) return node.map((v, i) => [i, v]);
  if (node instanceof Map) return [...node.entries()];
  return Object.entries(node);
}

/** `container[key]` for arrays, plain objects and Maps; `undefined` when absent. */
export function childAt(container: unknown, key: unknown): unknown {
  if (container === null || typeof container !== "object") return undefined;
  if (container instanceof Map) return container.get(key);
  return Object.hasOwn(container, key as PropertyKey)
    ? (container as Record<PropertyKey, unknown>)[key as PropertyKey]
    : undefined;
}

/** The child of model node `x` under `key`, as @flux/functors sees its children. */
export function modelChild(x: unknown, key: unknown, path: readonly unknown[]): unknown {
  const ch = children(x);
  const has = ch instanceof Map ? ch.has(key) : Object.hasOwn(ch, key as PropertyKey);
  if (!has) {
    throw new OptimStructureError(
      pathString([...path, key]),
      "the model has no child where the state tree has one; pass the model that setup(rule, model) was given",
    );
  }
  return ch instanceof Map ? ch.get(key) : (ch as Record<PropertyKey, unknown>)[key as PropertyKey];
}

/**
 * Calls `f` once for each distinct Leaf under `tree` (a whole state tree, a subtree, or one Leaf).
 * Reaching a tensor means a model was passed instead of a state tree: that throws.
 */
export function forEachLeaf(tree: unknown, f: (leaf: Leaf) => void, op: string): void {
  if (tree === undefined) {
    // `freeze(state.layers[5])` or `freeze(state.encoder)` with a key the state lacks: doing nothing would
    // leave the user believing those parameters frozen (or adjusted).
    throw new OptimStructureError(
      "",
      `${op}: got undefined instead of a state tree, which is what indexing the state with a key or index it does not have gives (check the path, e.g. state.layers[0]); pass the tree from setup(rule, model) or a part of it`,
    );
  }
  const seen = new Set<object>();
  const visit = (node: unknown, path: unknown[]): void => {
    if (node === null || node === undefined || typeof node !== "object") return;
    if (seen.has(node)) return;
    seen.add(node);
    if (isOptimLeaf(node)) {
      f(node);
      return;
    }
    if (isTensor(node)) {
      throw new OptimStructureError(
        pathString(path),
        `${op}: found a tensor; it acts on the state tree from setup(rule, model), not on the model`,
      );
    }
    for (const [k, v] of entriesOf(node)) visit(v, [...path, k]);
  };
  visit(tree, []);
}
