// The check every collective runs first: the ranks exchange (collective, length, dtype, op, root) through a
// fixed-size allreduce, so a mismatch becomes our error on every rank instead of MPI_ERR_TRUNCATE or garbage.
import { dtypeFromCode } from "./buffers.js";
import { type CollectiveSignature, DistributedMismatchError } from "./errors.js";
import { opFromCode } from "./ops.js";
import type { Transport } from "./transport.js";

const COLLECTIVES = ["allreduce", "bcast", "reduce", "barrier"] as const;
/** The collectives a header can name. */
export type CollectiveName = (typeof COLLECTIVES)[number];

const FIELDS = 5;

/** What this rank is about to do, as numbers (codes from buffers.ts and ops.ts; 0 where unused). */
export interface LocalSignature {
  collective: CollectiveName;
  length: number;
  dtypeCode: number;
  opCode: number;
  root: number;
}

/**
 * Packs each rank's signature into its own slot of a `size x 5` Float64Array and sums it over ranks.
 *
 * A sum of one-hot slots is an all-gather that any transport's allreduce can do, its length depends only on
 * the communicator size (equal on every rank, so the check itself can never mismatch), and f64 carries
 * lengths up to 2^53 exactly.
 */
export async function checkSignatures(t: Transport, local: LocalSignature): Promise<void> {
  const table = new Float64Array(t.size * FIELDS);
  const at = t.rank * FIELDS;
  table[at] = COLLECTIVES.indexOf(local.collective) + 1;
  table[at + 1] = local.length;
  table[at + 2] = local.dtypeCode;
  table[at + 3] = local.opCode;
  table[at + 4] = local.root;
  await t.allreduce(table, "sum", `${local.collective} (signature check)`);
  const mismatch = findMismatch(table, t.size);
  if (mismatch) throw new DistributedMismatchError(local.collective, mismatch);
}

/** Decodes a gathered signature table; returns every rank's signature when they differ, else `null`. */
export function findMismatch(table: Float64Array, size: number): CollectiveSignature[] | null {
  let same = true;
  for (let r = 1; r < size && same; r++)
    for (let f = 0; f < FIELDS; f++) if (table[r * FIELDS + f] !== table[f]) same = false;
  if (same) return null;
  const out: CollectiveSignature[] = [];
  for (let r = 0; r < size; r++) {
    const row = table.subarray(r * FIELDS, r * FIELDS + FIELDS);
    out.push({
      rank: r,
      collective: COLLECTIVES[row[0] - 1] ?? `?${row[0]}`,
      length: row[1],
      dtype: row[2] === 0 ? "-" : dtypeFromCode(row[2]),
      op: row[3] === 0 ? "-" : opFromCode(row[3]),
      root: row[4],
    });
  }
  return out;
}
