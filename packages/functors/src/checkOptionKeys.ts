// One check for the strict options objects of every package: a misspelt key (`{ batchSize: 5 }` for
// `batchsize`, `{ bais: false }` for `bias`) would otherwise be ignored and the default used without a word.
// Each package throws its own named error, so the caller passes the error to build.

/** Edit distance between two strings (insertions, deletions, substitutions); inputs are option names. */
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

/** The known name closest to `key` (case-insensitive), when it is close enough to be a typo. */
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

/** How a non-object options argument reads in the message: `null`, `an array`, `number 3`. */
function describe(opts: unknown): string {
  if (opts === null) return "null";
  if (Array.isArray(opts)) return "an array";
  return `${typeof opts} ${String(opts)}`;
}

/**
 * Returns `opts` (or `{}` when it is `undefined`) if it is an object whose own keys are all in `known`;
 * otherwise throws `fail(message)`, the message naming the function, the bad key, the key it was probably
 * meant to be and every known key. Packages pass their own argument error, so the thrown class and `code`
 * are theirs.
 *
 * @example
 * const opts = checkOptionKeys("DataLoader", given, ["batchsize", "shuffle"], (m) => new DataArgumentError(m));
 * // { batchSize: 5 } → DataArgumentError: DataLoader: unknown option "batchSize"; did you mean "batchsize"? ...
 */
export function checkOptionKeys<T extends object>(
  fn: string,
  opts: unknown,
  known: readonly string[],
  fail: (message: string) => Error,
): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw fail(`${fn}: options must be an object like { ${known[0]}: ... }, got ${describe(opts)}.`);
  }
  for (const key of Object.keys(opts)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    throw fail(
      `${fn}: unknown option "${key}"${near === undefined ? "." : `; did you mean "${near}"?`} Known options: ${known.join(", ") || "(none)"}.`,
    );
  }
  return opts as T;
}
