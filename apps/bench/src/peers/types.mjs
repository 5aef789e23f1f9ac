// Shapes shared by every system the bench runs (ours, the peers, the baseline). Types only.

/**
 * @typedef {import("../measure.mjs").Measurement | { error: string }} CellResult
 */

/**
 * @typedef {object} SystemRun
 * @property {Record<string, unknown>} info versions and settings worth printing in the header
 * @property {Record<string, CellResult>} results by cell id
 */

export {};
