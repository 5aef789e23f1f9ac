import { KeyPathError } from "./errors.js";
import { isMapLike } from "./mapLike.js";
import { keyPathString } from "./keyPathString.js";

/**
 * One step of a key path: a field name (objects, class instances), a 0-based index (arrays), or a key of a
 * `Map` (any value).
 */
export type Key = unknown;

/**
 * The keys leading from the root of a tree to one of its nodes, outermost first (Functors' `KeyPath`).
 *
 * Array indices are 0-based. The root itself has the empty path `[]`.
 *
 * @example
 * const kp: KeyPath = ["layers", 0, "weight"];
 */
export type KeyPath = readonly Key[];

/**
 * Returns the value of `x` at key path `kp` (Functors' `getkeypath`).
 *
 * `Map`s are read with `get`, everything else with property access. A missing key throws a `KeyPathError`
 * naming the path up to it.
 *
 * @example
 * getkeypath({ a: new Map([["b", [5, 6]]]) }, ["a", "b", 1]); // 6
 */
export function getkeypath(x: unknown, kp: KeyPath): unknown {
  let node = x;
  kp.forEach((key, i) => {
    if (!hasKey(node, key)) {
      throw new KeyPathError(
        `getkeypath: no key ${JSON.stringify(String(key))} at ${keyPathString(kp.slice(0, i)) || "the root"}. ` +
          "Check the path against `fmapWithPath` or `fleaves` output.",
        kp.slice(0, i + 1),
      );
    }
    node = readKey(node, key);
  });
  return node;
}

/**
 * Says whether `x` has a value at key path `kp` (Functors' `haskeypath`).
 *
 * The empty path is always present. Array indices must lie in `0 <= i < length`.
 *
 * @example
 * haskeypath({ a: [1, 2] }, ["a", 1]); // true
 * haskeypath({ a: [1, 2] }, ["a", 2]); // false
 */
export function haskeypath(x: unknown, kp: KeyPath): boolean {
  let node = x;
  for (const key of kp) {
    if (!hasKey(node, key)) return false;
    node = readKey(node, key);
  }
  return true;
}

/**
 * Sets the value at key path `kp` inside `x`, MUTATING the container that holds it (Functors' `setkeypath!`).
 *
 * Every key but the last must exist; the last is written with `Map.set` or property assignment. The empty
 * path throws, since the root cannot be replaced in place.
 *
 * @example
 * const m = { layers: [{ bias: 0 }] };
 * setkeypath(m, ["layers", 0, "bias"], 1); // m.layers[0].bias === 1
 */
export function setkeypath(x: unknown, kp: KeyPath, value: unknown): void {
  if (kp.length === 0) {
    throw new KeyPathError(
      "setkeypath: the empty key path names the root, which cannot be replaced in place. Use the value directly.",
      kp,
    );
  }
  const parent = getkeypath(x, kp.slice(0, -1));
  const key = kp[kp.length - 1];
  if (isMapLike(parent)) parent.set(key, value);
  else if (parent !== null && (typeof parent === "object" || typeof parent === "function"))
    (parent as Record<PropertyKey, unknown>)[key as PropertyKey] = value;
  else {
    throw new KeyPathError(
      `setkeypath: the value at ${keyPathString(kp.slice(0, -1)) || "the root"} is a ${typeof parent}, ` +
        "which has no keys to set. Point the path at an object, array or Map.",
      kp,
    );
  }
}

function hasKey(node: unknown, key: Key): boolean {
  if (node === null || (typeof node !== "object" && typeof node !== "function")) return false;
  if (isMapLike(node)) return node.has(key);
  if (Array.isArray(node))
    return typeof key === "number" && Number.isInteger(key) && key >= 0 && key < node.length;
  if (typeof key !== "string" && typeof key !== "number" && typeof key !== "symbol") return false;
  return key in node;
}

function readKey(node: unknown, key: Key): unknown {
  if (isMapLike(node)) return node.get(key);
  return (node as Record<PropertyKey, unknown>)[key as PropertyKey];
}
