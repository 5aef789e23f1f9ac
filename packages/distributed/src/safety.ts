// The check every collective runs first: the ranks exchange (collective, length, dtype, op, root, shapes)
// through one small fixed-size allreduce, so a mismatch becomes our error on every rank instead of
// MPI_ERR_TRUNCATE, a hang or garbage. A whole gradient tree is checked once, not once per tensor.
import { dtypeFromCode } from "./buffers.js";
import { type CollectiveSignature, DistributedMismatchError } from "./errors.js";
import { opFromCode } from "./ops.js";
import type { CollectiveArray } from "./buffers.js";
import type { Transport, WireOp } from "./transport.js";

const COLLECTIVES = ["allreduce", "bcast", "reduce", "barrier"] as const;
/** The collectives a header can name. */
export type CollectiveName = (typeof COLLECTIVES)[number];

/** The dtype code of a rank whose argument cannot be carried: the others then fail with it, not hang. */
export const INVALID_DTYPE = 255;
/** The dtype code of a tree whose leaves have several dtypes. */
export const MIXED_DTYPE = 254;

// collective, length, dtype, op, root, leaves, encoded shape length, shape hash.
const FIELDS = 8;
// A mismatch report fetches every rank's shapes in a second exchange, up to this many numbers per rank.
const MAX_DETAIL = 4096;

/** One buffer of a collective: its dtype code (buffers.ts) and shape (`[length]` for a typed array). */
export interface LeafSignature {
  dtypeCode: number;
  shape: readonly number[];
}

/** What this rank is about to do (codes from buffers.ts and ops.ts; 0 where unused). */
export interface LocalSignature {
  collective: CollectiveName;
  /** Total elements over all leaves. */
  length: number;
  opCode: number;
  root: number;
  /** The buffers, in the order they will travel (one for a plain collective; a tree's leaves). */
  leaves: readonly LeafSignature[];
}

/**
 * Packs each rank's signature into its own slot of a `size x 8` Float64Array and sums it over ranks.
 *
 * A sum of one-hot slots is an all-gather that any transport's allreduce can do, its length depends only on
 * the communicator size (equal on every rank, so the check itself can never mismatch), and f64 carries
 * lengths up to 2^53 exactly. Shapes travel as a 52-bit hash; only when they differ does a second exchange
 * fetch them to name them (every rank sees the same table, so every rank takes that path or none does).
 */
export async function checkSignatures(t: Transport, local: LocalSignature): Promise<void> {
  const packed = packSignature(t, local);
  await t.exchange(packed.table, `${local.collective} (signature check)`);
  if (differs(packed.table, t.size)) await throwMismatch(t, packed);
}

/**
 * The signature check and an allreduce of `buf` as one collective where the transport can fold them (the
 * threads arena: one phase carries both); elsewhere the check, then the allreduce. `afterCheck` runs once
 * the ranks agree, before any data moves into `buf` (checks that need the agreed signature). Throws
 * `DistributedMismatchError` on every rank when they disagree; `buf` is then untouched.
 */
export async function checkThenAllreduce(
  t: Transport,
  local: LocalSignature,
  buf: CollectiveArray,
  op: WireOp,
  label: string,
  afterCheck: () => void,
): Promise<void> {
  if (!t.exchangeThenAllreduce) {
    await checkSignatures(t, local);
    afterCheck();
    await t.allreduce(buf, op, label);
    return;
  }
  const packed = packSignature(t, local);
  const agreed = (table: Float64Array) => {
    if (differs(table, t.size)) return false;
    afterCheck();
    return true;
  };
  const done = await t.exchangeThenAllreduce(
    packed.table,
    buf,
    op,
    `${local.collective} (signature check)`,
    agreed,
  );
  if (!done) await throwMismatch(t, packed);
}

interface PackedSignature {
  collective: CollectiveName;
  table: Float64Array;
  encoded: number[];
}

function packSignature(t: Transport, local: LocalSignature): PackedSignature {
  const encoded = encodeLeaves(local.leaves);
  const table = new Float64Array(t.size * FIELDS);
  const at = t.rank * FIELDS;
  table[at] = COLLECTIVES.indexOf(local.collective) + 1;
  table[at + 1] = local.length;
  table[at + 2] = commonDtype(local.leaves);
  table[at + 3] = local.opCode;
  table[at + 4] = local.root;
  table[at + 5] = local.leaves.length;
  table[at + 6] = encoded.length;
  table[at + 7] = hashNumbers(encoded);
  return { collective: local.collective, table, encoded };
}

/** Names every rank's signature (fetching the shapes when they differ) and throws the mismatch. */
async function throwMismatch(t: Transport, packed: PackedSignature): Promise<never> {
  const shapes = await gatherShapes(t, packed.table, packed.encoded, packed.collective);
  throw new DistributedMismatchError(packed.collective, decodeTable(packed.table, t.size, shapes));
}

/** Decodes a gathered signature table; returns every rank's signature when they differ, else `null`. */
export function findMismatch(table: Float64Array, size: number): CollectiveSignature[] | null {
  return differs(table, size) ? decodeTable(table, size, null) : null;
}

function differs(table: Float64Array, size: number): boolean {
  for (let r = 1; r < size; r++)
    for (let f = 0; f < FIELDS; f++) if (table[r * FIELDS + f] !== table[f]) return true;
  return false;
}

function decodeTable(table: Float64Array, size: number, shapes: string[] | null): CollectiveSignature[] {
  const out: CollectiveSignature[] = [];
  for (let r = 0; r < size; r++) {
    const row = table.subarray(r * FIELDS, r * FIELDS + FIELDS);
    out.push({
      rank: r,
      collective: COLLECTIVES[row[0] - 1] ?? `?${row[0]}`,
      length: row[1],
      dtype: dtypeName(row[2]),
      op: row[3] === 0 ? "-" : opFromCode(row[3]),
      root: row[4],
      // Without the second exchange, equal hashes are all we know: name the shape by its hash.
      shape: shapes?.[r] ?? `#${row[7].toString(16)} (${row[5]} buffer(s))`,
    });
  }
  return out;
}

function dtypeName(code: number): string {
  if (code === 0) return "-";
  if (code === INVALID_DTYPE) return "unsupported";
  if (code === MIXED_DTYPE) return "mixed";
  return dtypeFromCode(code);
}

/**
 * Every rank's shapes as text, fetched with a second exchange when the table says they differ (and the
 * encodings are small enough to send); otherwise this rank's own shapes stand for all (they are equal).
 */
async function gatherShapes(
  t: Transport,
  table: Float64Array,
  encoded: number[],
  collective: string,
): Promise<string[]> {
  let shapesDiffer = false;
  let width = 0;
  for (let r = 0; r < t.size; r++) {
    for (const f of [5, 6, 7]) if (table[r * FIELDS + f] !== table[f]) shapesDiffer = true;
    width = Math.max(width, table[r * FIELDS + 6]);
  }
  const mine = shapeText(encoded);
  if (!shapesDiffer) return Array.from({ length: t.size }, () => mine);
  if (width > MAX_DETAIL)
    return Array.from({ length: t.size }, (_, r) => `(${table[r * FIELDS + 5]} buffers)`);
  const detail = new Float64Array(t.size * width);
  detail.set(encoded, t.rank * width);
  await t.exchange(detail, `${collective} (shape report)`);
  return Array.from({ length: t.size }, (_, r) => {
    const len = table[r * FIELDS + 6];
    return shapeText(Array.from(detail.subarray(r * width, r * width + len)));
  });
}

/** `[dtypeCode, ndims, ...dims]` per leaf, concatenated. */
function encodeLeaves(leaves: readonly LeafSignature[]): number[] {
  const out: number[] = [];
  for (const l of leaves) out.push(l.dtypeCode, l.shape.length, ...l.shape);
  return out;
}

/** `[2, 4]` for one buffer; `{[2, 4] [4] ...}` for a tree's leaves (the first 8). */
function shapeText(encoded: readonly number[]): string {
  const shapes: string[] = [];
  for (let i = 0; i < encoded.length; ) {
    const nd = encoded[i + 1];
    shapes.push(`[${encoded.slice(i + 2, i + 2 + nd).join(", ")}]`);
    i += 2 + nd;
  }
  if (shapes.length === 1) return shapes[0];
  const shown = shapes.slice(0, 8).join(" ");
  return `{${shown}${shapes.length > 8 ? ` ... ${shapes.length} leaves` : ""}}`;
}

function commonDtype(leaves: readonly LeafSignature[]): number {
  if (leaves.length === 0) return 0;
  if (leaves.some((l) => l.dtypeCode === INVALID_DTYPE)) return INVALID_DTYPE;
  const first = leaves[0].dtypeCode;
  return leaves.every((l) => l.dtypeCode === first) ? first : MIXED_DTYPE;
}

/**
 * A 52-bit hash of a list of non-negative integers (two 32-bit FNV-style lanes), exact in an f64.
 */
export function hashNumbers(xs: readonly number[]): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (const x of xs) {
    const lo = x >>> 0;
    const hi = Math.floor(x / 2 ** 32) >>> 0;
    a = Math.imul(a ^ lo, 0x01000193) >>> 0;
    a = Math.imul(a ^ hi, 0x01000193) >>> 0;
    b = Math.imul(b ^ lo, 0x5bd1e995) >>> 0;
    b = (Math.imul(b ^ (b >>> 15), 0x2c1b3c6d) ^ hi) >>> 0;
  }
  return a * 2 ** 20 + (b >>> 12);
}
