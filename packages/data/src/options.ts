// Strict option objects: a misspelt key (`{ batchSize: 5 }` for `batchsize`) would otherwise be ignored and
// the default used without a word. Unknown keys are refused, naming the spelling that was meant; the check
// itself is @flux/functors' `checkOptionKeys`, shared with the other packages.
import { checkOptionKeys as checkKeys } from "@flux/functors";
import { DataArgumentError } from "./errors.js";

/**
 * @internal Throws DataArgumentError unless `opts` is undefined or a plain object whose keys are all in
 * `known`; returns it (or `{}`).
 */
export function checkOptionKeys<T extends object>(fn: string, opts: unknown, known: readonly string[]): T {
  return checkKeys<T>(fn, opts, known, (message) => new DataArgumentError(message));
}
