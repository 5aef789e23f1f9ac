import type { KeyPath } from "./keyPath.js";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Formats a key path the way you would write the access in JavaScript, for messages and logs.
 *
 * Identifier-like strings become `.name` (no dot at the start), numbers `[i]`, other keys `[JSON]` or
 * `[String(key)]`. The empty path is `""`.
 *
 * @example
 * keyPathString(["layers", 0, "weight"]); // "layers[0].weight"
 */
export function keyPathString(path: KeyPath): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "string" && IDENTIFIER.test(key)) out += out === "" ? key : `.${key}`;
    else if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string") out += `[${JSON.stringify(key)}]`;
    else out += `[${String(key)}]`;
  }
  return out;
}
