// Turns a finished run into the markdown the bench prints and saves (latest.md).

import { evaluateTargets } from "./targets.mjs";

/**
 * @typedef {object} SystemEntry
 * @property {string} label column heading
 * @property {Record<string, unknown>} info
 * @property {Record<string, import("./peers/types.mjs").CellResult>} results
 */

/**
 * @typedef {object} TableSpec
 * @property {string} title
 * @property {string} subject the system whose speed is divided (ours)
 * @property {string[]} others the systems it is compared with, in column order
 * @property {boolean} targets whether to add the issue's targets column
 */

/**
 * @typedef {object} BenchRun
 * @property {string} date ISO time the run started
 * @property {string[]} header lines for the header list
 * @property {import("./workloads.mjs").Cell[]} cells
 * @property {Record<string, SystemEntry>} systems by id
 * @property {TableSpec[]} tables
 * @property {import("./targets.mjs").TargetContext} targetContext
 */

/**
 * Median / fastest sample above which a cell is flagged as noisy in the notes. The median, not the slowest
 * sample: one interrupted sample does not move a median, but a machine busy for the whole cell does.
 */
const NOISY_SPREAD = 1.25;

const sig3 = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });

/**
 * 3 significant digits with thousands separators: 12.3, 0.812, 75,500; "—" for NaN or infinity.
 *
 * @param {number} x
 * @returns {string}
 * @example formatNumber(75512.3) // "75,500"
 */
export function formatNumber(x) {
  return Number.isFinite(x) ? sig3.format(x) : "—";
}

/**
 * A cell's speed in its unit (work / median seconds), or null when that system did not run it or failed.
 *
 * @param {import("./workloads.mjs").Cell} cell
 * @param {SystemEntry | undefined} system
 * @returns {number | null}
 */
export function speedOf(cell, system) {
  const r = system?.results[cell.id];
  if (!r || "error" in r) return null;
  return cell.work / r.medianS;
}

/** @param {number | null} x */
const show = (x) => (x === null ? "—" : formatNumber(x));

/** @param {number | null} a @param {number | null} b */
const ratio = (a, b) => (a === null || b === null ? "—" : `${formatNumber(a / b)}x`);

/** @param {string[]} cells */
const row = (cells) => `| ${cells.join(" | ")} |`;

/**
 * One markdown table: our speed, each other system's speed, the ratios ours / theirs, and the targets.
 *
 * @param {BenchRun} run
 * @param {TableSpec} spec
 * @returns {string}
 */
export function renderTable(run, spec) {
  const others = spec.others.filter((id) => run.systems[id]);
  const subject = run.systems[spec.subject];
  const head = [
    "workload",
    "unit",
    subject?.label ?? spec.subject,
    ...others.map((id) => run.systems[id].label),
  ];
  head.push(...others.map((id) => `÷ ${run.systems[id].label}`));
  if (spec.targets) head.push("target (issue)");
  // Text columns (workload, unit, target) left-aligned, numbers right-aligned.
  const align = head.map((_, i) => (i < 2 || (spec.targets && i === head.length - 1) ? "---" : "---:"));
  const lines = [`### ${spec.title}`, "", row(head), row(align)];
  for (const cell of run.cells) {
    const ours = speedOf(cell, subject);
    const theirs = others.map((id) => speedOf(cell, run.systems[id]));
    const cols = [
      cell.label,
      cell.unit,
      show(ours),
      ...theirs.map(show),
      ...theirs.map((t) => ratio(ours, t)),
    ];
    if (spec.targets) {
      const peers = Object.fromEntries(others.map((id, i) => [id, theirs[i]]));
      const verdicts = evaluateTargets(cell, ours, peers, run.targetContext);
      cols.push(
        verdicts
          .map(
            (v) =>
              `${v.text}: **${v.status}**${v.value === null ? "" : ` (${formatNumber(v.value)}${v.text.includes("x ") ? "x" : ""})`}`,
          )
          .join("; "),
      );
    }
    lines.push(row(cols));
  }
  return lines.join("\n");
}

/**
 * Errors, slow single runs and noisy cells of every system, then n/a targets; one bullet each (may be empty).
 *
 * @param {BenchRun} run
 * @returns {string[]}
 */
export function renderNotes(run) {
  const notes = [];
  for (const [id, system] of Object.entries(run.systems)) {
    for (const cell of run.cells) {
      const r = system.results[cell.id];
      if (!r) continue;
      if ("error" in r) notes.push(`- ${system.label} / ${cell.id}: error: ${r.error}`);
      else if (r.note) notes.push(`- ${system.label} / ${cell.id}: ${r.note}`);
      // Something else ran meanwhile (a shared machine): the median is less certain.
      else if (r.reps >= 3 && r.medianS > NOISY_SPREAD * r.minS) {
        const ms = (/** @type {number} */ s) => formatNumber(s * 1e3);
        notes.push(
          `- ${system.label} / ${cell.id}: noisy, median ${ms(r.medianS)} ms per call but fastest ${ms(r.minS)} ms`,
        );
      }
    }
    if (system.info.error) notes.push(`- ${id}: ${system.info.error}`);
  }
  for (const spec of run.tables.filter((t) => t.targets)) {
    for (const cell of run.cells) {
      const ours = speedOf(cell, run.systems[spec.subject]);
      const peers = Object.fromEntries(spec.others.map((id) => [id, speedOf(cell, run.systems[id])]));
      for (const v of evaluateTargets(cell, ours, peers, run.targetContext)) {
        if (v.status === "n/a") notes.push(`- target ${v.text} for ${cell.id} is n/a: ${v.why}`);
      }
    }
  }
  return notes;
}

/**
 * The whole report: title, header facts, one table per spec, then notes.
 *
 * @param {BenchRun} run
 * @returns {string}
 * @example console.log(renderMarkdown(run));
 */
export function renderMarkdown(run) {
  const parts = [`## @flux bench, ${run.date}`, "", ...run.header.map((h) => `- ${h}`), ""];
  for (const spec of run.tables) parts.push(renderTable(run, spec), "");
  parts.push(
    "Speeds are medians after warm-up (higher is better); `÷ peer` is ours / peer, so above 1x means we are faster.",
  );
  const notes = renderNotes(run);
  if (notes.length) parts.push("", "Notes:", ...notes);
  return `${parts.join("\n")}\n`;
}
