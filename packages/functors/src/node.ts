// The one place that knows how each kind of container exposes and rebuilds its children. Everything else
// (walks, children, trainable) goes through `viewNode`, `rebuildNode` and `structureNode`.
import { FunctorDefinitionError, FunctorStructureError } from "./errors.js";
import { isleaf } from "./isleaf.js";
import type { Key, KeyPath } from "./keyPath.js";
import { isMapLike } from "./mapLike.js";
import { FUNCTOR } from "./symbols.js";

/** How a container stores its children. */
export type NodeKind = "array" | "map" | "object";

/**
 * The children of one container, as parallel `keys` and `values` (Functors' `functor(x)[1]`).
 *
 * `keys` are 0-based indices for arrays, Map keys for Maps, field names for objects and class instances.
 */
export interface NodeView {
  readonly kind: NodeKind;
  readonly keys: readonly Key[];
  readonly values: readonly unknown[];
}

/**
 * The children of `x`, or `undefined` when `x` is a leaf.
 *
 * Objects list their `FUNCTOR` fields when their class declared them, else their own enumerable string keys.
 */
export function viewNode(x: unknown): NodeView | undefined {
  if (isleaf(x)) return undefined;
  if (Array.isArray(x)) {
    const keys: number[] = [];
    const values: unknown[] = [];
    for (let i = 0; i < x.length; i++) {
      keys.push(i);
      values.push(x[i]);
    }
    return { kind: "array", keys, values };
  }
  if (isMapLike(x)) return { kind: "map", keys: [...x.keys()], values: [...x.values()] };
  const record = x as Record<string, unknown>;
  const keys = functorFields(x as object) ?? Object.keys(record);
  return { kind: "object", keys, values: keys.map((k) => record[k]) };
}

/**
 * Builds a container like `x` (same kind, same prototype, non-child fields carried over) holding `values`
 * in place of `view.values`.
 */
export function rebuildNode(x: unknown, view: NodeView, values: readonly unknown[]): unknown {
  const proto = Object.getPrototypeOf(x);
  if (view.kind === "array") {
    const out = [...values];
    if (proto !== Array.prototype) Object.setPrototypeOf(out, proto);
    return out;
  }
  if (view.kind === "map") {
    const out = new Map(view.keys.map((k, i) => [k, values[i]]));
    if (proto !== Map.prototype) Object.setPrototypeOf(out, proto);
    return out;
  }
  // Copying descriptors (not just enumerable values) keeps non-enumerable fields, accessors and
  // read-only flags of the fields that are not children.
  const descriptors = Object.getOwnPropertyDescriptors(x) as Record<PropertyKey, PropertyDescriptor>;
  view.keys.forEach((key, i) => {
    const own = descriptors[key as string];
    descriptors[key as string] =
      own !== undefined && "value" in own
        ? { ...own, value: values[i] }
        : { value: values[i], writable: true, enumerable: true, configurable: true };
  });
  const out = Object.create(proto, descriptors) as object;
  if (Object.isFrozen(x)) Object.freeze(out);
  else if (Object.isSealed(x)) Object.seal(out);
  else if (!Object.isExtensible(x)) Object.preventExtensions(out);
  return out;
}

/** Builds a plain container (array, Map, or plain object) of `values`: `fmapstructure`'s output. */
export function structureNode(view: NodeView, values: readonly unknown[]): unknown {
  if (view.kind === "array") return [...values];
  if (view.kind === "map") return new Map(view.keys.map((k, i) => [k, values[i]]));
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a child named "__proto__" must stay a field.
  view.keys.forEach((key, i) => {
    Object.defineProperty(out, key as string, {
      value: values[i],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  });
  return out;
}

/**
 * The child of another tree `y` under `key`, read the way `x` (the first tree) is read.
 *
 * Like Functors' `functor(typeof(x), y)`: `y` may be a different kind of container (a plain object zipped
 * with a class instance) as long as it has the key; arrays must have equal lengths. Throws a
 * `FunctorStructureError` naming `path + key` otherwise.
 */
export function childOf(
  op: string,
  y: unknown,
  key: Key,
  x: unknown,
  view: NodeView,
  path: KeyPath,
  tree: number,
): unknown {
  const where = [...path, key];
  if (isleaf(y)) {
    throw new FunctorStructureError(
      op,
      where,
      tree,
      `tree 1 has ${describe(x)} there, tree ${tree + 1} ${describe(y)}`,
    );
  }
  if (view.kind === "array" && Array.isArray(y) && y.length !== view.keys.length) {
    throw new FunctorStructureError(
      op,
      path,
      tree,
      `tree 1 has an array of length ${view.keys.length}, tree ${tree + 1} one of length ${y.length}`,
    );
  }
  if (isMapLike(y)) {
    if (y.has(key)) return y.get(key);
  } else if (typeof key === "string" || typeof key === "number" || typeof key === "symbol") {
    if (key in (y as object)) return (y as Record<PropertyKey, unknown>)[key];
  }
  throw new FunctorStructureError(
    op,
    where,
    tree,
    `tree 1 has key ${String(key)} in ${describe(x)}, tree ${tree + 1} has no such key in ${describe(y)}`,
  );
}

function functorFields(x: object): readonly string[] | undefined {
  const fields = (x as { [FUNCTOR]?: unknown })[FUNCTOR];
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields)) {
    throw new FunctorDefinitionError(
      `an object of class ${x.constructor?.name ?? "unknown"} has a Symbol.for("flux.functor") property that ` +
        `is a ${typeof fields}, not an array of field names. Set it with functor(Class, fields).`,
    );
  }
  return fields;
}

/** A short description of a value for error messages: "a number", "an array of length 3", "a Dense". */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v !== "object") return `a ${typeof v}`;
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name ? `a ${name}` : "an object";
}
