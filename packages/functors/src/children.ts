import { viewNode, rebuildNode, childOf, type NodeView } from "./node.js";

/**
 * The children of one container: an array for arrays, a `Map` for Maps, a plain object of the child
 * fields for objects and class instances.
 */
export type Children = readonly unknown[] | ReadonlyMap<unknown, unknown> | Readonly<Record<string, unknown>>;

/**
 * The children of `x` (Functors' `children`): what `fmap` walks into. A leaf has none (`[]`).
 *
 * Returns a fresh container (mutating it does not touch `x`): an array for arrays, a `Map` for Maps, and a
 * plain object holding only the child fields for objects and class instances (see `functor`).
 *
 * @example
 * functor(Dense, ["weight", "bias"]);
 * children(new Dense(w, b, "relu")); // { weight: w, bias: b }
 */
export function children(x: unknown): Children {
  const view = viewNode(x);
  if (view === undefined) return [];
  return asChildren(view);
}

/**
 * Builds a copy of container `x` whose children are replaced by `newChildren` (the other half of
 * Functors' `functor(x)`: its reconstruction function).
 *
 * `newChildren` is read like `children(x)` returns it (by index, Map key, or field name) and must hold
 * every child key; the result keeps `x`'s prototype and non-child fields. A leaf is returned unchanged.
 *
 * @example
 * rebuild(new Dense(w, b, "relu"), { weight: w2, bias: b2 }); // a Dense with activation "relu"
 */
export function rebuild<T>(x: T, newChildren: Children): T {
  const view = viewNode(x);
  if (view === undefined) return x;
  const values = view.keys.map((key) => childOf("rebuild", newChildren, key, x, view, [], 1));
  return rebuildNode(x, view, values) as T;
}

/** The `children` container for a node view. */
export function asChildren(view: NodeView, keep?: readonly unknown[]): Children {
  const pick = (key: unknown) => keep === undefined || keep.includes(key);
  if (view.kind === "array") return [...view.values];
  if (view.kind === "map") return new Map(view.keys.map((k, i) => [k, view.values[i]]));
  const out: Record<string, unknown> = {};
  view.keys.forEach((key, i) => {
    if (pick(key)) {
      Object.defineProperty(out, key as string, {
        value: view.values[i],
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  });
  return out;
}
