// The options argument of an op: `undefined` or a plain object with known keys. A number where the
// options belong (`sum(x, 1)` for `sum(x, { dims: 1 })`) or a misspelt key (`{ strides: 2 }`) would
// otherwise be ignored and give a silently different result.
import { ArgumentError } from "../errors.js";

function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "no prototype"})`;
  return `${typeof x} ${String(x).slice(0, 40)}`;
}

/** A key compared loosely for "did you mean": case and a plural "s" ignored. */
function stem(key: string): string {
  return key.toLowerCase().replace(/s$/, "");
}

/**
 * Throws `ArgumentError` unless `opts` is `undefined` or a plain object whose keys are all in `known`;
 * `example` shows the right call in the message.
 */
export function checkOpOptions(op: string, opts: unknown, known: readonly string[], example: string): void {
  if (opts === undefined) return;
  const proto = typeof opts === "object" && opts !== null ? Object.getPrototypeOf(opts) : undefined;
  if (proto !== Object.prototype && proto !== null)
    throw new ArgumentError(
      `${op}: the options must be an object such as ${example}, got ${describe(opts)}.`,
    );
  for (const k of Object.keys(opts as object)) {
    if (known.includes(k)) continue;
    const near = known.find((n) => {
      const [a, b] = [stem(n), stem(k)];
      return a === b || (Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a)));
    });
    throw new ArgumentError(
      `${op}: unknown option "${k}"${near === undefined ? "" : ` (did you mean "${near}"?)`}; its options are ${known.join(", ")}.`,
    );
  }
}
