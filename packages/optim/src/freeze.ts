// Temporarily excluding parameters from updates (Optimisers.jl's freeze! / thaw!).
import { forEachLeaf } from "./tree.js";

/**
 * Marks every Leaf under `state` (a whole state tree, a subtree, or one Leaf) as frozen, MUTATING them:
 * `update`/`updateInPlace` then leave those parameters and their state alone (Optimisers.jl's
 * `freeze!`). Undone by `thaw`. Passing a model instead of a state tree throws.
 *
 * @example
 * freeze(state.layers[0]); // train only the later layers
 */
export function freeze(state: unknown): void {
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
export function thaw(state: unknown): void {
  forEachLeaf(
    state,
    (leaf) => {
      leaf.frozen = false;
    },
    "thaw",
  );
}
