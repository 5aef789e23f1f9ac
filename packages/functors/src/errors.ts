// Named error classes with stable `code`s. Messages start with "[@flux/functors]", say what was tried and
// what to do next.
import type { KeyPath } from "./keyPath.js";
import { keyPathString } from "./keyPathString.js";

/**
 * Base class of every error thrown by `@flux/functors`.
 *
 * Catch this to handle any functors failure; switch on `code` (stable across versions), not on the text.
 *
 * @example
 * try { fmap(f, a, b); } catch (e) { if (e instanceof FunctorsError) console.log(e.code); }
 */
export class FunctorsError extends Error {
  /** A stable machine-readable identifier, e.g. `"ERR_FUNCTOR_STRUCTURE"`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(`[@flux/functors] ${message}`, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Thrown when trees walked together (`fmap(f, x, y)`) do not have the same structure.
 *
 * `path` is the key path, from the root of the first tree, of the child the other tree lacks;
 * `tree` is the 0-based position of the offending tree among all trees (the first tree is 0).
 *
 * @example
 * fmap((a, b) => a + b, { w: 1 }, { v: 2 }); // FunctorStructureError at path "w"
 */
export class FunctorStructureError extends FunctorsError {
  readonly path: KeyPath;
  readonly tree: number;
  constructor(op: string, path: KeyPath, tree: number, detail: string) {
    super(
      "ERR_FUNCTOR_STRUCTURE",
      `${op}: tree ${tree + 1} does not match tree 1 at ${describePath(path)}: ${detail}. ` +
        "Pass trees with the same structure (the result is shaped like the first tree), or stop the walk " +
        "above this point with `exclude`.",
    );
    this.path = path;
    this.tree = tree;
  }
}

/**
 * Thrown when `fmap` (or another rebuilding walk) meets an object inside itself.
 *
 * Rebuilding walks refuse cycles instead of recursing forever. `path` is where the object was met again,
 * `firstPath` where the walk first entered it. `fleaves` and `fcollect` visit each object once, so they
 * accept cycles.
 *
 * @example
 * const a: any = { w: 1 }; a.self = a;
 * fmap((x) => x, a); // FunctorCycleError at path "self"
 */
export class FunctorCycleError extends FunctorsError {
  readonly path: KeyPath;
  readonly firstPath: KeyPath;
  constructor(path: KeyPath, firstPath: KeyPath) {
    super(
      "ERR_FUNCTOR_CYCLE",
      `the walk met the object at ${describePath(firstPath)} again inside itself, at ${describePath(path)}; ` +
        "a cyclic structure cannot be rebuilt. Leave the back-reference out of the children with " +
        "`functor(Class, fields)`, or treat it as a leaf with `exclude`.",
    );
    this.path = path;
    this.firstPath = firstPath;
  }
}

/**
 * Thrown when `functor`, `leaf` or `trainableFields` get something they cannot use.
 *
 * @example
 * functor(Dense, "weight" as never); // FunctorDefinitionError: fields must be an array of strings
 */
export class FunctorDefinitionError extends FunctorsError {
  constructor(message: string) {
    super("ERR_FUNCTOR_DEFINITION", message);
  }
}

/**
 * Thrown by `getkeypath` / `setkeypath` when a key along the path is missing.
 *
 * `path` is the prefix of the key path up to and including the missing key.
 *
 * @example
 * getkeypath({ a: {} }, ["a", "b"]); // KeyPathError: no key "b" at a
 */
export class KeyPathError extends FunctorsError {
  readonly path: KeyPath;
  constructor(message: string, path: KeyPath) {
    super("ERR_KEY_PATH", message);
    this.path = path;
  }
}

function describePath(path: KeyPath): string {
  return path.length === 0 ? "the root" : `path ${keyPathString(path)}`;
}

/**
 * Thrown when a Promise is passed where a model, a tree or a tensor belongs: the commonest mistake in an
 * async API (`setup(rule, gpu(model))` without `await`). Every entry point that takes a tree checks this
 * through `checkNotPromise`.
 *
 * @example
 * setup(Adam(), gpu(model)); // UnawaitedPromiseError: ... did you forget `await`?
 */
export class UnawaitedPromiseError extends FunctorsError {
  /** The function that was called, e.g. `"setup"`. */
  readonly fn: string;
  /** The argument that held the Promise, e.g. `"model"`. */
  readonly argument: string;
  constructor(fn: string, argument: string) {
    super(
      "ERR_UNAWAITED_PROMISE",
      `${fn}: \`${argument}\` is a Promise, not a value: did you forget \`await\`? ` +
        `Device moves (\`gpu(x)\`, \`cpu(x)\`, \`dev(x)\`) are async: write \`${fn}(..., await gpu(${argument}))\`.`,
    );
    this.fn = fn;
    this.argument = argument;
  }
}
