// Named error classes with stable `code`s. Messages start with "[@flux/optim]", say what was tried and what
// to do next.

/**
 * Base class of every error thrown by `@flux/optim`.
 *
 * Catch this to handle any optimiser failure; switch on `code` (stable across versions), not on the text.
 *
 * @example
 * try { Adam(-1); } catch (e) { if (e instanceof OptimError) console.log(e.code); }
 */
export class OptimError extends Error {
  /** A stable machine-readable identifier, e.g. `"ERR_RULE_ARGUMENT"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[@flux/optim] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Thrown when a rule is built or adjusted with a bad hyper-parameter (a negative or infinite learning rate,
 * a `beta` outside [0, 1) or not a pair, an epsilon <= 0, an unknown option...). The message names the rule,
 * the field and its valid range; `rule` and `field` hold the first two.
 *
 * @example
 * Adam({ beta: [2, 2] }); // RuleArgumentError: Adam: beta[0] must be a decay rate: a finite number in [0, 1), got 2.
 */
export class RuleArgumentError extends OptimError {
  /** The rule being built (`"Adam"`), when the error is about one of its hyper-parameters. */
  readonly rule: string | undefined;
  /** The hyper-parameter at fault (`"eta"`, `"beta[0]"`), when there is one. */
  readonly field: string | undefined;
  constructor(message: string, where: { rule?: string; field?: string } = {}) {
    super("ERR_RULE_ARGUMENT", message);
    this.rule = where.rule;
    this.field = where.field;
  }
}

/**
 * Thrown when the state tree, the model and the gradient do not fit together (e.g. a tensor gradient where
 * the state tree has a container, or `freeze` given a model instead of a state tree).
 *
 * @example
 * updateInPlace(setup(Adam(), { w }), { w }, { w: { a: g } }); // OptimStructureError at "w"
 */
export class OptimStructureError extends OptimError {
  /** Where in the tree it happened, as a dotted key path ("" for the root). */
  readonly path: string;
  constructor(path: string, message: string) {
    super("ERR_OPTIM_STRUCTURE", `${message}${path === "" ? "" : ` (at "${path}")`}`);
    this.path = path;
  }
}

/**
 * Thrown by `ClipNorm` (with `throw: true`, the default) when a gradient's norm is infinite or NaN.
 *
 * Only raised where the norm can be read synchronously (CPU tensors); see PARITY.md.
 *
 * @example
 * applyRule(ClipNorm(), null, w, tensor([Infinity], [1])); // NonFiniteGradientError
 */
export class NonFiniteGradientError extends OptimError {
  /** The norm that was found. */
  readonly norm: number;
  constructor(norm: number, p: number, what: string) {
    super(
      "ERR_NON_FINITE_GRADIENT",
      `ClipNorm: the gradient of a ${what} has ${p}-norm ${norm}. Find where the loss produces Inf/NaN ` +
        "(or build ClipNorm with { throw: false } to scale such gradients anyway).",
    );
    this.norm = norm;
  }
}

/**
 * Thrown by `train` when the loss of a step is not finite; that step's update is skipped.
 *
 * `step` is the 0-based index of the batch in `data`, `loss` the value read.
 *
 * @example
 * try { await train(loss, model, data, state); } catch (e) { if (e instanceof NonFiniteLossError) e.step; }
 */
export class NonFiniteLossError extends OptimError {
  /** 0-based index of the offending batch. */
  readonly step: number;
  /** The loss value (NaN, Infinity or -Infinity). */
  readonly loss: number;
  constructor(step: number, loss: number) {
    super(
      "ERR_NON_FINITE_LOSS",
      `train: the loss is ${loss} at step ${step} (0-based batch index); the update of that step was skipped ` +
        "and training stopped. Lower the learning rate, clip gradients (OptimiserChain(ClipNorm(), rule)), or " +
        "check that batch for bad values.",
    );
    this.step = step;
    this.loss = loss;
  }
}
