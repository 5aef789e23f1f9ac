/**
 * The counts of the LAST `<prefix>... N passed, N failed` line in a runner's output (the smoke app prints
 * `SMOKE node: 3 passed, 0 failed`), or `undefined` when there is none: a runner that died before its
 * summary must not read as "0 failed".
 *
 * @example parseSummaryLine("x\nSMOKE bun: 3 passed, 1 failed\n", "SMOKE ") // { passed: 3, failed: 1 }
 * @param {string} output
 * @param {string} prefix
 * @returns {{ passed: number, failed: number } | undefined}
 */
export function parseSummaryLine(output, prefix) {
  const lines = output.split("\n").filter((l) => l.startsWith(prefix));
  const m = lines.at(-1)?.match(/(\d+) passed, (\d+) failed/);
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : undefined;
}

/**
 * The lines that name every skipped test in test-all's closing summary: one per name a suite reported
 * (`skippedNames`), and one for any skips a suite counted without naming them. Empty when nothing skipped.
 *
 * @example
 * skippedLines([{ name: "vitest", skipped: 1, skippedNames: ["a.test.ts > b"] }]);
 * // ["", "skipped (1):", "  vitest: a.test.ts > b"]
 * @param {readonly { name: string, skipped: number, skippedNames?: readonly string[] }[]} rows
 * @returns {string[]}
 */
export function skippedLines(rows) {
  const total = rows.reduce((a, r) => a + r.skipped, 0);
  if (total === 0) return [];
  const out = ["", `skipped (${total}):`];
  for (const r of rows.filter((x) => x.skipped > 0)) {
    const names = (r.skippedNames ?? []).slice(0, r.skipped);
    for (const n of names) out.push(`  ${r.name}: ${n}`);
    if (names.length < r.skipped)
      out.push(
        `  ${r.name}: ${r.skipped - names.length} more, not named by the suite (see its output above)`,
      );
  }
  return out;
}
