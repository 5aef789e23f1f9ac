// The allreduce group's numbers and markdown: raw per-call times in, GB/s and ratios to the C reference out.

import { formatNumber } from "../report.mjs";

/**
 * One measured cell: a buffer size on a number of ranks.
 *
 * @typedef {object} AllreduceCell
 * @property {string} key "<bytes>x<ranks>", the key of results
 * @property {number} bytes
 * @property {number} ranks
 * @property {string} label column heading, e.g. "1 MiB ×2"
 */

/**
 * One system's result for a cell: the timed calls (seconds, rank 0), or why there are none.
 *
 * @typedef {{ times: number[] } | { error: string }} AllreduceResult
 */

/**
 * @typedef {object} AllreduceSystem
 * @property {string} id stable id (`c`, `c-nonblocking`, `node-mpi`, `bun-threads`, ...)
 * @property {string} label row heading
 */

/**
 * @typedef {object} AllreduceRun
 * @property {AllreduceCell[]} cells
 * @property {AllreduceSystem[]} systems in row order
 * @property {string} reference the id of the system every row is divided by (the C MPI_Allreduce)
 * @property {Record<string, Record<string, AllreduceResult>>} results system id → cell key → result
 */

/** Median / fastest call above which a cell is noted as noisy (as in the rest of the harness). */
const NOISY_SPREAD = 1.25;

/**
 * The cells of a run: every size on every rank count, sizes outermost.
 *
 * @param {readonly { bytes: number }[]} sizes
 * @param {readonly number[]} ranks
 * @returns {AllreduceCell[]}
 * @example allreduceCells([{ bytes: 1 << 20 }], [2]) // [{ key: "1048576x2", bytes: 1048576, ranks: 2, label: "1 MiB ×2" }]
 */
export function allreduceCells(sizes, ranks) {
  return sizes.flatMap(({ bytes }) =>
    ranks.map((n) => ({ key: `${bytes}x${n}`, bytes, ranks: n, label: `${formatBytes(bytes)} ×${n}` })),
  );
}

/**
 * "1 MiB", "64 MiB", "512 KiB", "12 B".
 *
 * @param {number} bytes
 * @returns {string}
 * @example formatBytes(64 << 20) // "64 MiB"
 */
export function formatBytes(bytes) {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MiB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KiB`;
  return `${bytes} B`;
}

/**
 * The median of a non-empty list (the mean of the middle two for an even length).
 *
 * @param {number[]} xs
 * @returns {number}
 * @example median([3, 1, 2]) // 2
 */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Algorithm bandwidth in GB/s: the buffer's bytes over the median call time (1 GB = 1e9 bytes), or null when
 * the system has no times for the cell.
 *
 * @param {AllreduceCell} cell
 * @param {AllreduceResult | undefined} result
 * @returns {number | null}
 * @example bandwidthGBs({ bytes: 1e9 }, { times: [0.5, 1, 2] }) // 1
 */
export function bandwidthGBs(cell, result) {
  if (!result || "error" in result || result.times.length === 0) return null;
  return cell.bytes / median(result.times) / 1e9;
}

/**
 * Parses the `RESULT {...}` lines that rank 0 of allreduce_bench.c and rank.mjs print, ignoring other output.
 *
 * @param {string} output a child's stdout
 * @returns {{ bytes: number, ranks: number, times: number[] }[]}
 * @example parseResultLines('RESULT {"bytes":4,"ranks":2,"times":[0.1]}') // [{ bytes: 4, ranks: 2, times: [0.1] }]
 */
export function parseResultLines(output) {
  return output
    .split("\n")
    .filter((line) => line.startsWith("RESULT {"))
    .map((line) => {
      const r = JSON.parse(line.slice("RESULT ".length));
      return { bytes: Number(r.bytes), ranks: Number(r.ranks), times: r.times.map(Number) };
    });
}

/** @param {number | null} x */
const show = (x) => (x === null ? "—" : formatNumber(x));

/** @param {string[]} cells */
const row = (cells) => `| ${cells.join(" | ")} |`;

/**
 * The group's table: one row per system, GB/s per cell, then ours ÷ the C reference per cell; and the notes
 * (errors, noisy cells).
 *
 * @param {AllreduceRun} run
 * @returns {{ table: string, notes: string[] }}
 * @example const { table } = renderAllreduceTable(run); console.log(table);
 */
export function renderAllreduceTable(run) {
  const ref = run.systems.find((s) => s.id === run.reference);
  const refLabel = ref?.id ?? run.reference;
  const head = [
    "allreduce f32 sum, GB/s",
    ...run.cells.map((c) => c.label),
    ...run.cells.map((c) => `÷ ${refLabel} ${c.label}`),
  ];
  const lines = [row(head), row(head.map((_, i) => (i === 0 ? "---" : "---:")))];
  for (const system of run.systems) {
    const mine = run.cells.map((c) => bandwidthGBs(c, run.results[system.id]?.[c.key]));
    const theirs = run.cells.map((c) => bandwidthGBs(c, run.results[run.reference]?.[c.key]));
    const ratios = mine.map((m, i) => {
      const t = theirs[i];
      return m === null || t === null ? "—" : `${formatNumber(m / t)}x`;
    });
    lines.push(row([system.label, ...mine.map(show), ...ratios]));
  }
  /** @type {string[]} */
  const notes = [];
  for (const system of run.systems) {
    for (const cell of run.cells) {
      const r = run.results[system.id]?.[cell.key];
      if (!r) continue;
      if ("error" in r) notes.push(`- ${system.label} / ${cell.label}: error: ${r.error}`);
      else {
        const med = median(r.times);
        const min = Math.min(...r.times);
        if (r.times.length >= 3 && med > NOISY_SPREAD * min)
          notes.push(
            `- ${system.label} / ${cell.label}: noisy, median ${formatNumber(med * 1e3)} ms per call but fastest ${formatNumber(min * 1e3)} ms`,
          );
      }
    }
  }
  return { table: lines.join("\n"), notes };
}
