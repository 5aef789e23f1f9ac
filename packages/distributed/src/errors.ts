// Named error classes with stable `code`s. Messages start with "[@flux/distributed]", say what was tried and
// what to do next.

/**
 * Base class of every error thrown by `@flux/distributed`.
 *
 * Switch on `code` (stable across versions) rather than on the message text.
 *
 * @example
 * try { await allreduce(b, x, "sum"); } catch (e) { if (e instanceof DistributedError) console.log(e.code); }
 */
export class DistributedError extends Error {
  /** A stable machine-readable identifier, e.g. `"ERR_DISTRIBUTED_MISMATCH"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[@flux/distributed] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** What one rank brought to a collective; used to explain a mismatch. */
export interface CollectiveSignature {
  rank: number;
  length: number;
  dtype: string;
  op: string;
  root: number;
  collective: string;
}

/**
 * Thrown on EVERY rank when the ranks called one collective with different lengths, dtypes, ops or roots.
 *
 * MPI itself would truncate (MPI_ERR_TRUNCATE) or silently corrupt data; we compare a small header first.
 *
 * @example
 * // rank 0 sends 3 numbers, rank 1 sends 4:
 * await allreduce(b, new Float32Array(3 + rank), "sum"); // DistributedMismatchError: ... rank 0: 3, rank 1: 4
 */
export class DistributedMismatchError extends DistributedError {
  readonly signatures: readonly CollectiveSignature[];
  constructor(collective: string, signatures: CollectiveSignature[]) {
    const fields = (["collective", "length", "dtype", "op", "root"] as const).filter(
      (f) => new Set(signatures.map((s) => s[f])).size > 1,
    );
    const detail = signatures
      .map((s) => `rank ${s.rank}: ${fields.map((f) => `${f} ${s[f]}`).join(", ")}`)
      .join("; ");
    super(
      "ERR_DISTRIBUTED_MISMATCH",
      `${collective}: the ranks disagree on ${fields.join(", ")} (${detail}). Every rank must call the same ` +
        "collective, in the same order, with buffers of equal length and dtype, the same op and the same root.",
    );
    this.signatures = signatures;
  }
}

/**
 * Thrown when `getDistributedBackend` (or a collective) is used before `initialize`.
 *
 * @example
 * getDistributedBackend(MPIBackend); // DistributedNotInitializedError
 */
export class DistributedNotInitializedError extends DistributedError {
  constructor(backend: string) {
    super(
      "ERR_DISTRIBUTED_NOT_INITIALIZED",
      `backend ${backend} is not initialized. Call \`await initialize(${backend})\` first.`,
    );
  }
}

/**
 * Thrown when a collective did not complete within `timeoutMs` (a rank never reached it, or died).
 *
 * @example
 * await initialize(MPIBackend, { timeoutMs: 5000 }); // a stuck allreduce then throws this after 5 s
 */
export class DistributedTimeoutError extends DistributedError {
  constructor(collective: string, rank: number, timeoutMs: number) {
    super(
      "ERR_DISTRIBUTED_TIMEOUT",
      `${collective} on rank ${rank} did not complete within ${timeoutMs} ms: some rank never reached it ` +
        "(it is stuck, took another branch, or died). Check that every rank runs the same collectives, " +
        "or raise `timeoutMs` in initialize().",
    );
  }
}

/**
 * Thrown when the transport cannot start: koffi absent, libmpi not found, or a launcher mismatch.
 *
 * @example
 * await initialize(MPIBackend); // DistributedUnavailableError: ... `npm i koffi`
 */
export class DistributedUnavailableError extends DistributedError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_DISTRIBUTED_UNAVAILABLE", message, options);
  }
}

/**
 * Thrown by the surviving ranks when another rank failed (threw, exited or was killed).
 *
 * @example
 * // in a threads job where rank 2 threw:
 * await allreduce(b, x, "sum"); // DistributedRankFailedError: rank 2 failed: ...
 */
export class DistributedRankFailedError extends DistributedError {
  readonly failedRank: number;
  constructor(failedRank: number, reason: string, options?: { cause?: unknown }) {
    super(
      "ERR_DISTRIBUTED_RANK_FAILED",
      `rank ${failedRank} failed: ${reason}. The job was stopped; fix that rank's error and relaunch.`,
      options,
    );
    this.failedRank = failedRank;
  }
}

/**
 * Thrown for a bad argument: unknown op, root out of range, unsupported buffer type.
 *
 * @example
 * await allreduce(b, x, "prod" as any); // DistributedArgumentError
 */
export class DistributedArgumentError extends DistributedError {
  constructor(message: string) {
    super("ERR_DISTRIBUTED_ARGUMENT", message);
  }
}
