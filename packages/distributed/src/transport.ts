// The small interface every backend implements: three in-place collectives on typed arrays, and a rank.
import type { CollectiveArray } from "./buffers.js";

/** The op a transport performs; `"avg"` is finished above the transport (sum, then divide). */
export type WireOp = "sum" | "max" | "min";

/**
 * One rank's end of a communicator (internal; backends implement it, the public API calls it).
 *
 * Every method is collective: all ranks call it in the same order with buffers of equal length and dtype.
 * The caller has already checked that with `checkSignatures`, so a transport may trust its inputs.
 */
export interface Transport {
  readonly rank: number;
  readonly size: number;
  /** Replaces `buf` on every rank with the elementwise reduction over ranks. */
  allreduce(buf: CollectiveArray, op: WireOp, label: string): Promise<void>;
  /** Replaces `buf` on every rank with root's `buf`. */
  bcast(buf: CollectiveArray, root: number, label: string): Promise<void>;
  /** Replaces `buf` on root with the reduction over ranks; other ranks' `buf` is left as it was. */
  reduce(buf: CollectiveArray, op: WireOp, root: number, label: string): Promise<void>;
  /** Ends this rank's participation (idempotent). */
  close(): Promise<void>;
}
