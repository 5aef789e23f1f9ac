import { asChildren, type Children } from "./children.js";
import { viewNode } from "./node.js";
import { TRAINABLE } from "./symbols.js";

/**
 * The children of `x` that an optimiser may change (Optimisers.jl's `trainable`).
 *
 * When `x`'s class declared `trainableFields` (the `TRAINABLE` symbol), a plain object of just those
 * children; otherwise the same as `children(x)`. A leaf has none (`[]`).
 *
 * @example
 * trainableFields(BatchNorm, ["beta", "gamma"]);
 * Object.keys(trainable(bn)); // ["beta", "gamma"]; running statistics are children, not trainable
 */
export function trainable(x: unknown): Children {
  const view = viewNode(x);
  if (view === undefined) return [];
  const fields = (x as { [TRAINABLE]?: readonly string[] })[TRAINABLE];
  return asChildren(view, view.kind === "object" ? fields : undefined);
}
