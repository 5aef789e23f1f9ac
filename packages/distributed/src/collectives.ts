// allreduce / bcast / reduce / barrier: the public collectives, on typed arrays and tensors.
import type { DistributedBackend } from "./backend.js";
import { type CollectiveArray, dtypeFromCode, type CollectiveDtype } from "./buffers.js";
import { DistributedArgumentError, DistributedMismatchError } from "./errors.js";
import { checkAverage, checkOp, finishAverage, opCode, type CollectiveOp, wireOp } from "./ops.js";
import { type CollectiveName, checkSignatures, checkThenAllreduce, type LocalSignature } from "./safety.js";
import { type HostBuffer, type TensorLike, toHost } from "./tensorLike.js";
import { refuseUnawaited } from "./unawaited.js";

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
 * `op` is `"sum"`, `"avg"` (sum / totalWorkers; float data only: on integers it is refused, as it would
 * truncate), `"max"` or `"min"`. A typed array is updated in place and returned; a tensor (CPU or GPU) is
 * read back and a new tensor is returned. Before any data moves the ranks compare (shape, dtype, op);
 * a difference throws `DistributedMismatchError` on every rank. To average a whole gradient tree in one
 * transfer, use `averageGradients`.
 *
 * @example
 * const g = await allreduce(b, new Float32Array([localRank(b)]), "avg");
 */
export function allreduce<T extends Collectable>(b: DistributedBackend, x: T, op: CollectiveOp): Promise<T> {
  const o = checkOp(op);
  refuseUnawaited(b, x, "allreduce", "x", "allreduce", opCode(o), 0);
  return b.serialize(async () => {
    const host = await toHost(x, "allreduce");
    if (!host.buf) await exchange(b, host, "allreduce", opCode(o), 0); // throws this rank's argument error
    const buf = host.buf!;
    const dtype = dtypeFromCode(host.leaf.dtypeCode) as CollectiveDtype;
    // The check and the reduction as one collective where the transport can (threads: one phase).
    await checkThenAllreduce(
      b.transport,
      signatureOf(host, "allreduce", opCode(o), 0),
      buf,
      wireOp(o),
      "allreduce",
      () => checkAverage(o, dtype, "allreduce"),
    );
    if (o === "avg") finishAverage(buf, b.size);
    return host.result() as T;
  });
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
  refuseUnawaited(b, x, "bcast", "x", "bcast", 0, root);
  return collective(b, x, "bcast", 0, root, async (buf) => {
    checkRoot(b, root, "bcast");
    await b.transport.bcast(buf, root, "bcast");
  });
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
  op: CollectiveOp,
  opts: RootOptions = {},
): Promise<T> {
  const o = checkOp(op);
  const root = opts.root ?? 0;
  refuseUnawaited(b, x, "reduce", "x", "reduce", opCode(o), root);
  return collective(b, x, "reduce", opCode(o), root, async (buf, dtype) => {
    checkRoot(b, root, "reduce");
    checkAverage(o, dtype, "reduce");
    await b.transport.reduce(buf, wireOp(o), root, "reduce");
    if (o === "avg" && b.rank === root) finishAverage(buf, b.size);
  });
}

/**
 * Waits until every worker reached this call (not in Flux; MPI's `MPI_Barrier`).
 *
 * @example
 * await barrier(b); // e.g. before rank 0 reads files the others wrote
 */
export function barrier(b: DistributedBackend): Promise<void> {
  return b.serialize(() =>
    checkSignatures(b.transport, { collective: "barrier", length: 0, opCode: 0, root: 0, leaves: [] }),
  );
}

/**
 * The common steps of a one-buffer collective, one call at a time on this backend: bring `x` to the host,
 * exchange signatures (an argument that cannot travel still takes part, so every rank fails together),
 * run `transfer` on the buffer, and give the result back in `x`'s form.
 */
function collective<T>(
  b: DistributedBackend,
  x: T,
  name: CollectiveName,
  op: number,
  root: number,
  transfer: (buf: CollectiveArray, dtype: CollectiveDtype) => Promise<void>,
): Promise<T> {
  return b.serialize(async () => {
    const host = await toHost(x, name);
    await exchange(b, host, name, op, root);
    await transfer(host.buf!, dtypeFromCode(host.leaf.dtypeCode) as CollectiveDtype);
    return host.result() as T;
  });
}

async function exchange(
  b: DistributedBackend,
  host: HostBuffer,
  collective: CollectiveName,
  opCode: number,
  root: number,
): Promise<void> {
  try {
    await checkSignatures(b.transport, signatureOf(host, collective, opCode, root));
  } catch (e) {
    // This rank's own argument error says more than the mismatch it caused.
    if (host.error && e instanceof DistributedMismatchError) throw host.error;
    throw e;
  }
  if (host.error) throw host.error;
}

function signatureOf(
  host: HostBuffer,
  collective: CollectiveName,
  opCode: number,
  root: number,
): LocalSignature {
  return { collective, length: host.buf?.length ?? 0, opCode, root, leaves: [host.leaf] };
}

/** Refuses a root outside the job (call after the signature exchange: every rank then throws together). */
export function checkRoot(b: DistributedBackend, root: number, what: string): void {
  if (!Number.isInteger(root) || root < 0 || root >= b.size)
    throw new DistributedArgumentError(
      `${what}: root ${root} is not a rank of this ${b.size}-worker job (0..${b.size - 1}).`,
    );
}
