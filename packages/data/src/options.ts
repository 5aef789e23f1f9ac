// Strict option objects: a misspelt key (`{ batchSize: 5 }` for `batchsize`) would otherwise be ignored and
// the default used without a word. Unknown keys are refused, naming the spelling that was meant.
import { DataArgumentError } from "./errors.js";

/** Edit distance between two strings (small inputs: option names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key` (case-insensitive), when it is close enough to be a typo. */
function closest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const d = distance(k, name.toLowerCase());
    if (d < bestD) [best, bestD] = [name, d];
  }
  return bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * @internal Throws DataArgumentError unless `opts` is undefined or a plain object whose keys are all in
 * `known`; returns it (or `{}`).
 */
export function checkOptionKeys<T extends object>(fn: string, opts: unknown, known: readonly string[]): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts))
    throw new DataArgumentError(
      `${fn}: options must be an object like { ${known[0]}: ... }, got ${opts === null ? "null" : Array.isArray(opts) ? "an array" : `${typeof opts} ${String(opts)}`}.`,
    );
  for (const key of Object.keys(opts)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    throw new DataArgumentError(
      `${fn}: unknown option "${key}"${near === undefined ? "." : `; did you mean "${near}"?`} Known options: ${known.join(", ")}.`,
    );
  }
  return opts as T;
}
