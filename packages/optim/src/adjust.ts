// Changing hyper-parameters mid-training without losing state (Optimisers.jl's adjust / adjust!).
import { fmap } from "@flux/functors";
import { clone, isTensor } from "@flux/kernels";
import { RuleArgumentError } from "./errors.js";
import { forEachLeaf } from "./tree.js";

/** What to change: a new learning rate, or hyper-parameters by name (`{ eta, beta, lambda, ... }`). */
export type Adjustment = number | Readonly<Record<string, unknown>>;

function changesOf(adjustment: Adjustment): Readonly<Record<string, unknown>> {
  if (typeof adjustment === "number") return { eta: adjustment };
  if (adjustment === null || typeof adjustment !== "object" || Object.keys(adjustment).length === 0) {
    throw new RuleArgumentError(
      "adjust: give a learning rate (adjust(state, 0.01)) or the hyper-parameters to change (adjust(state, { eta: 0.01 })).",
    );
  }
  return adjustment;
}

/**
 * Changes the rule's hyper-parameters in every Leaf under `state` (a whole state tree, a subtree such as
 * `state.layers[0]`, or one Leaf), MUTATING the Leafs and keeping their stored state (Optimisers.jl's
 * `adjust!`). A number sets `eta`. Names a rule does not have are ignored (AdaDelta has no `eta`), as in
 * Optimisers.jl; a bad value throws `RuleArgumentError`.
 *
 * @example
 * adjustInPlace(state, 0.001);              // new learning rate everywhere
 * adjustInPlace(state.decoder, { beta: [0.8, 0.99] });
 */
export function adjustInPlace(state: unknown, adjustment: Adjustment): void {
  const changes = changesOf(adjustment);
  forEachLeaf(
    state,
    (leaf) => {
      leaf.rule = leaf.rule.adjust(changes);
    },
    "adjustInPlace",
  );
}

/**
 * Like `adjustInPlace` but returns a new state tree (Optimisers.jl's `adjust`): Leafs and their state
 * tensors are copied (ties kept); `state` is left as it was.
 *
 * @example
 * const slower = adjust(state, { eta: 1e-4 });
 */
export function adjust<T>(state: T, adjustment: Adjustment): T {
  const changes = changesOf(adjustment);
  const copy = fmap((v: unknown) => (isTensor(v) ? clone(v) : v), state) as T;
  adjustInPlace(copy, changes);
  return copy;
}
