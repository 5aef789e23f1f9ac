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
