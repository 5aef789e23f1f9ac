// Temporarily excluding parameters from updates (Optimisers.jl's freeze! / thaw!).
import { OptimStructureError } from "./errors.js";
import { forEachLeaf } from "./tree.js";

// `freeze(state, ["layers", 0])` would otherwise freeze the whole of `state` and ignore the path.
function checkOneArgument(op: string, count: number): void {
  if (count > 1)
    throw new OptimStructureError(
      "",
      `${op} takes one argument, the part of the state tree to ${op} (${op}(state.layers[0])), not a tree and a path; got ${count} arguments`,
    );
}

/**
 * Marks every Leaf under `state` (a whole state tree, a subtree, or one Leaf) as frozen, MUTATING them:
 * `update`/`updateInPlace` then leave those parameters and their state alone (Optimisers.jl's
 * `freeze!`). Undone by `thaw`. Passing a model instead of a state tree, `undefined` (what indexing the
 * state with a key it does not have gives), or a path as a second argument throws `OptimStructureError`.
 *
 * @example
 * freeze(state.layers[0]); // train only the later layers
 */
export function freeze(state: unknown): void;
export function freeze(state: unknown, ...extra: unknown[]): void {
  checkOneArgument("freeze", 1 + extra.length);
  forEachLeaf(
    state,
    (leaf) => {
      leaf.frozen = true;
    },
    "freeze",
  );
}

/**
 * Un-freezes every Leaf under `state`, MUTATING them (Optimisers.jl's `thaw!`).
 *
 * @example
 * thaw(state); // everything trains again
 */
export function thaw(state: unknown): void;
export function thaw(state: unknown, ...extra: unknown[]): void {
  checkOneArgument("thaw", 1 + extra.length);
  forEachLeaf(
    state,
    (leaf) => {
      leaf.frozen = false;
    },
    "thaw",
  );
}
