// Named error classes with stable `code`s. Messages start with "[@flux/data]", say what was tried and what
// to do next.

/**
 * Base class of every error thrown by `@flux/data`.
 *
 * Switch on `code` (stable across versions), not on the message text.
 *
 * @example
 * try { numobs({ x: a, y: b }); } catch (e) { if (e instanceof DataError) console.log(e.code); }
 */
export class DataError extends Error {
  /** A stable machine-readable identifier, e.g. `"ERR_OBS_MISMATCH"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[@flux/data] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Thrown when a value is not a data container (nothing to count or slice observations in).
 *
 * @example
 * numobs(42); // NotADataContainerError
 */
export class NotADataContainerError extends DataError {
  constructor(what: string) {
    super(
      "ERR_NOT_A_CONTAINER",
      `${what} is not a data container. Pass a Tensor (observations along its last dim), a typed array (one ` +
        "observation per element), a JS array of observations, an array/object of such containers, or an " +
        "object with numobs() and getobs(i) methods.",
    );
  }
}

/**
 * Thrown when the parts of a tuple/object container hold different numbers of observations.
 *
 * @example
 * numobs([zeros([3, 10]), new Int32Array(9)]); // ObsCountMismatchError: 10 vs 9
 */
export class ObsCountMismatchError extends DataError {
  constructor(counts: readonly (readonly [string, number])[]) {
    super(
      "ERR_OBS_MISMATCH",
      `the parts of this container hold different numbers of observations (${counts
        .map(([k, n]) => `${k}: ${n}`)
        .join(", ")}); every part must have the same observation count along its last dim.`,
    );
  }
}

/**
 * Thrown for an invalid argument (an index out of range, a bad `at`, a bad batch size...).
 *
 * @example
 * getobs(new Float32Array(3), 3); // DataArgumentError: index 3 is out of range 0..2
 */
export class DataArgumentError extends DataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_ARGUMENT", message, options);
  }
}

/**
 * Thrown when an IDX file is malformed (bad magic, unknown type, sizes that disagree with the header).
 *
 * @example
 * parseIdx(new Uint8Array([1, 2, 3])); // IdxFormatError
 */
export class IdxFormatError extends DataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_IDX_FORMAT", message, options);
  }
}

/**
 * Thrown when a dataset's files cannot be found or read in the given folder (nothing is ever downloaded).
 *
 * @example
 * await FashionMNIST({ dir: "/nowhere" }); // DatasetNotFoundError
 */
export class DatasetNotFoundError extends DataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_DATASET_NOT_FOUND", message, options);
  }
}
