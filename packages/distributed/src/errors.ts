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
  /** The buffer's shape (`[length]` for a typed array), or the leaves' shapes of a tree, as text. */
  shape: string;
}

/**
 * Thrown on EVERY rank when the ranks called one collective with different lengths, shapes, dtypes, ops or
 * roots (a tensor of shape `[2, 4]` on one rank and `[4, 2]` on another is a mismatch, although both hold 8
 * numbers).
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
    const fields = (["collective", "length", "shape", "dtype", "op", "root"] as const).filter(
      (f) => new Set(signatures.map((s) => s[f])).size > 1,
    );
    const detail = signatures
      .map((s) => `rank ${s.rank}: ${fields.map((f) => `${f} ${s[f]}`).join(", ")}`)
      .join("; ");
    const invalid = signatures.filter((s) => s.dtype === "unsupported").map((s) => s.rank);
    const why = invalid.length
      ? ` Rank ${invalid.join(", ")} passed an argument a collective cannot carry (its own error says which).`
      : "";
    super(
      "ERR_DISTRIBUTED_MISMATCH",
      `${collective}: the ranks disagree on ${fields.join(", ")} (${detail}).${why} Every rank must call the same ` +
        "collective, in the same order, with buffers (or gradient trees) of equal shape and dtype, the same op " +
        "and the same root.",
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
 * Thrown when a collective did not complete within the deadline: `timeoutMs` of `initialize` (or of
 * `launchThreads`), 5 minutes by default. Some rank never reached it: it is stuck, busy for longer than
 * the deadline, or took another branch.
 *
 * @example
 * await initialize(MPIBackend, { timeoutMs: 5000 }); // a stuck allreduce then throws this after 5 s
 */
export class DistributedTimeoutError extends DistributedError {
  constructor(collective: string, rank: number, timeoutMs: number) {
    super(
      "ERR_DISTRIBUTED_TIMEOUT",
      `${collective} on rank ${rank} did not complete within ${timeoutMs} ms: some rank never reached it ` +
        "(it is stuck, took another branch, or is busy for longer than that). Check that every rank runs " +
        "the same collectives, or raise `timeoutMs` in initialize() (Infinity waits forever).",
    );
  }
}

/**
 * Thrown by the ranks waiting in a collective that a rank which already FINISHED its script (ended
 * normally) never called: without it they would wait forever. Names the finished rank and the collective.
 *
 * @example
 * // rank 1 skips the second allreduce and ends; rank 0 then gets, at once:
 * await allreduce(b, x, "sum"); // DistributedPeerFinishedError: allreduce on rank 0: rank 1 finished ...
 */
export class DistributedPeerFinishedError extends DistributedError {
  /** The rank that finished without joining the collective. */
  readonly finishedRank: number;
  constructor(collective: string, rank: number, finishedRank: number) {
    super(
      "ERR_DISTRIBUTED_PEER_FINISHED",
      `${collective} on rank ${rank} can never complete: rank ${finishedRank} finished its script ` +
        `without calling it. Every rank must call the same collectives in the same order; look for one that ` +
        `rank ${finishedRank} skips (a branch on localRank, a loop whose count differs per rank, an early return).`,
    );
    this.finishedRank = finishedRank;
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

/**
 * Thrown when an MPI call returns an error code (MPI's own message is printed by the library above it).
 *
 * @example
 * // a broken MPI installation during initialize(MPIBackend):
 * // DistributedMpiError: MPI_Init returned MPI error code 15 (openmpi, libmpi.so.40) ...
 */
export class DistributedMpiError extends DistributedError {
  constructor(message: string) {
    super("ERR_DISTRIBUTED_MPI", message);
  }
}
