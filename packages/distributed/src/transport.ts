// The small interface every backend implements: three in-place collectives on typed arrays, and a rank.
import type { CollectiveArray } from "./buffers.js";

/** The op a transport performs; `"avg"` is finished above the transport (sum, then divide). */
export type WireOp = "sum" | "max" | "min";

/**
 * One rank's end of a communicator (internal; backends implement it, the public API calls it).
 *
 * Every method is collective: all ranks call it in the same order. `exchange` is the signature check, the
 * one place a rank that never arrives is noticed: it waits under the deadline and watches for failed or
 * finished peers. The payload methods are called only right after an exchange that every rank completed
 * with an equal signature (same buffers, same order), so a transport may trust its inputs and may block.
 */
export interface Transport {
  readonly rank: number;
  readonly size: number;
  /** Replaces `table` on every rank with its elementwise sum over ranks, waiting under the deadline. */
  exchange(table: Float64Array, label: string): Promise<void>;
  /**
   * Optional: `exchange(table)`, then, when `agreed(table)` (the same verdict on every rank), `allreduce(buf)`,
   * as one collective where the transport can carry both at once. Resolves to whether `buf` was reduced.
   */
  exchangeThenAllreduce?(
    table: Float64Array,
    buf: CollectiveArray,
    op: WireOp,
    label: string,
    agreed: (table: Float64Array) => boolean,
  ): Promise<boolean>;
  /** Replaces `buf` on every rank with the elementwise reduction over ranks. */
  allreduce(buf: CollectiveArray, op: WireOp, label: string): Promise<void>;
  /** Replaces `buf` on every rank with root's `buf`. */
  bcast(buf: CollectiveArray, root: number, label: string): Promise<void>;
  /** Replaces `buf` on root with the reduction over ranks; other ranks' `buf` is left as it was. */
  reduce(buf: CollectiveArray, op: WireOp, root: number, label: string): Promise<void>;
  /** Ends this rank's participation (idempotent). */
  close(): Promise<void>;
}
