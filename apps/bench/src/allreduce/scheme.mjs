// The allreduce group's measurement scheme, shared by the harness and rank.mjs (allreduce_bench.c parses the
// same BYTES:WARMUP:REPS specs).

import { BenchError } from "../errors.mjs";

/**
 * @typedef {object} SizeSpec
 * @property {number} bytes buffer size in bytes (f32 elements × 4)
 * @property {number} warmup untimed allreduces after the checked one
 * @property {number} reps timed allreduces; the median is reported
 */

/**
 * The sizes: 1 MiB and 64 MiB of f32. Odd rep counts, so the median is one measured call; the large
 * buffer gets fewer (one call takes ~0.1-0.5 s on a shared 2-core machine).
 */
export const ALLREDUCE_SIZES = Object.freeze([
  Object.freeze({ bytes: 1 << 20, warmup: 5, reps: 31 }),
  Object.freeze({ bytes: 64 << 20, warmup: 2, reps: 11 }),
]);

/** The rank counts. */
export const ALLREDUCE_RANKS = Object.freeze([2, 4]);

/**
 * The command-line form of a size spec: "1048576:5:31".
 *
 * @param {SizeSpec} s
 * @returns {string}
 * @example formatSpec({ bytes: 1024, warmup: 1, reps: 3 }) // "1024:1:3"
 */
export function formatSpec(s) {
  return `${s.bytes}:${s.warmup}:${s.reps}`;
}

/**
 * Parses "BYTES:WARMUP:REPS"; throws on anything else (bytes must be a positive multiple of 4).
 *
 * @param {string} text
 * @returns {SizeSpec}
 * @example parseSpec("1048576:5:31").reps // 31
 */
export function parseSpec(text) {
  const m = /^(\d+):(\d+):(\d+)$/.exec(text);
  const [bytes, warmup, reps] = m ? m.slice(1).map(Number) : [Number.NaN, 0, 0];
  if (!m || bytes < 4 || bytes % 4 !== 0 || reps < 1)
    throw new BenchError(
      "BAD_FLAG",
      `bad allreduce spec '${text}': expected BYTES:WARMUP:REPS, BYTES a positive multiple of 4, REPS >= 1`,
    );
  return { bytes, warmup, reps };
}
