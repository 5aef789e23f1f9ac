// allreduce / bcast / reduce / barrier: the public collectives, on typed arrays and tensors.
import type { DistributedBackend } from "./backend.js";
import { dtypeCode, dtypeOf } from "./buffers.js";
import { DistributedArgumentError } from "./errors.js";
import { checkOp, finishAverage, opCode, type ReduceOp, wireOp } from "./ops.js";
import { checkSignatures } from "./safety.js";
import { onHost, type TensorLike } from "./tensorLike.js";
import type { CollectiveArray } from "./buffers.js";

/** What a collective carries: a typed array (mutated in place) or a tensor (a new tensor is returned). */
export type Collectable = CollectiveArray | TensorLike;

/** Options of the rooted collectives. */
export interface RootOptions {
  /** The rank that sends (`bcast`) or receives (`reduce`); default 0. */
  root?: number;
}

/**
 * Reduces `x` elementwise over all workers and gives every worker the result (Flux's `allreduce!`).
 *
 * `op` is `"sum"`, `"avg"` (sum / totalWorkers), `"max"` or `"min"`. A typed array is updated in place
 * and returned; a tensor (CPU or GPU) is read back and a new tensor is returned. Before any data moves
 * the ranks compare (length, dtype, op); a difference throws `DistributedMismatchError` on every rank.
 *
 * @example
 * const g = await allreduce(b, new Float32Array([localRank(b)]), "avg");
 */
export function allreduce<T extends Collectable>(b: DistributedBackend, x: T, op: ReduceOp): Promise<T> {
  const o = checkOp(op);
  return b.serialize(() =>
    onHost(x, async (buf) => {
      await checkSignatures(b.transport, signature("allreduce", buf, opCode(o), 0));
      await b.transport.allreduce(buf, wireOp(o), "allreduce");
      if (o === "avg") finishAverage(buf, b.size);
    }),
  );
}

/**
 * Gives every worker root's `x` (Flux's `bcast!`).
 *
 * A typed array is overwritten in place and returned; a tensor gives a new tensor.
 *
 * @example
 * const w = await bcast(b, weights, { root: 0 });
 */
export function bcast<T extends Collectable>(
  b: DistributedBackend,
  x: T,
  opts: RootOptions = {},
): Promise<T> {
  const root = opts.root ?? 0;
  return b.serialize(() =>
    onHost(x, async (buf) => {
      await checkSignatures(b.transport, signature("bcast", buf, 0, root));
      checkRoot(b, root, "bcast");
      await b.transport.bcast(buf, root, "bcast");
    }),
  );
}

/**
 * Reduces `x` elementwise over all workers into root's `x` (Flux's `reduce!`); other ranks' `x` is unchanged.
 *
 * @example
 * const total = await reduce(b, new Float64Array([loss]), "sum", { root: 0 });
 */
export function reduce<T extends Collectable>(
  b: DistributedBackend,
  x: T,
  op: ReduceOp,
  opts: RootOptions = {},
): Promise<T> {
  const o = checkOp(op);
  const root = opts.root ?? 0;
  return b.serialize(() =>
    onHost(x, async (buf) => {
      await checkSignatures(b.transport, signature("reduce", buf, opCode(o), root));
      checkRoot(b, root, "reduce");
      await b.transport.reduce(buf, wireOp(o), root, "reduce");
      if (o === "avg" && b.rank === root) finishAverage(buf, b.size);
    }),
  );
}

/**
 * Waits until every worker reached this call (not in Flux; MPI's `MPI_Barrier`).
 *
 * @example
 * await barrier(b); // e.g. before rank 0 reads files the others wrote
 */
export function barrier(b: DistributedBackend): Promise<void> {
  return b.serialize(() =>
    checkSignatures(b.transport, { collective: "barrier", length: 0, dtypeCode: 0, opCode: 0, root: 0 }),
  );
}

function signature(
  collective: "allreduce" | "bcast" | "reduce",
  buf: CollectiveArray,
  op: number,
  root: number,
) {
  return { collective, length: buf.length, dtypeCode: dtypeCode(dtypeOf(buf)), opCode: op, root };
}

function checkRoot(b: DistributedBackend, root: number, what: string): void {
  // Checked after the signature exchange, so every rank agrees on root and all of them throw together.
  if (!Number.isInteger(root) || root < 0 || root >= b.size)
    throw new DistributedArgumentError(
      `${what}: root ${root} is not a rank of this ${b.size}-worker job (0..${b.size - 1}).`,
    );
}
