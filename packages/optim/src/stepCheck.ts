// Checks one planned parameter step before ANY parameter is written: `updateInPlace` mutates tensors in
// place, so a bad gradient or state found half way through the tree would leave some parameters stepped
// and others not, a model no retry can repair. Every problem a step could meet from its inputs alone
// (gradient shape, device, a freed tensor, state built for another parameter) is found here first.
import { type Tensor, isTensor, tensorsIn } from "@flux/kernels";
import { OptimStructureError } from "./errors.js";
import type { Leaf } from "./leaf.js";
import { pathString } from "./tree.js";

const dims = (t: Tensor) => `[${t.shape.join(", ")}]`;

function sameShape(a: Tensor, b: Tensor): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/**
 * Throws `OptimStructureError` (with the key path) when the parameter `x`, its gradients `gs` or the
 * Leaf's state cannot take one step together. State tensors of more than one element must have the
 * parameter's shape (every built-in rule keeps its moments so); scalars are free.
 */
export function checkStep(leaf: Leaf, x: Tensor, gs: readonly Tensor[], path: readonly unknown[]): void {
  const at = pathString(path);
  if (x.isDisposed)
    throw new OptimStructureError(at, "update: the parameter was disposed; update the live model");
  for (const g of gs) {
    if (g.isDisposed)
      throw new OptimStructureError(
        at,
        "update: the gradient tensor was disposed before the update; keep it alive until update returns",
      );
    if (!sameShape(g, x))
      throw new OptimStructureError(at, `update: the gradient is ${dims(g)} but the parameter is ${dims(x)}`);
    if (g.device !== x.device)
      throw new OptimStructureError(
        at,
        `update: the gradient is on ${String(g.device)} but the parameter is on ${String(x.device)}; ` +
          "move one of them (a gradient lives where the model was when it was computed)",
      );
  }
  if (leaf.frozen) return;
  for (const s of tensorsIn(leaf.state)) {
    if (!isTensor(s)) continue;
    if (s.isDisposed)
      throw new OptimStructureError(
        at,
        "update: a tensor of this Leaf's optimiser state was disposed; build the state again with setup(rule, model)",
      );
    if (s.size > 1 && !sameShape(s, x))
      throw new OptimStructureError(
        at,
        `update: the optimiser state holds a ${dims(s)} tensor but the parameter is ${dims(x)}: the state ` +
          "was set up for another model; pass the state that setup(rule, model) returned for this model",
      );
    if (s.device !== x.device)
      throw new OptimStructureError(
        at,
        `update: the optimiser state is on ${String(s.device)} but the parameter is on ${String(x.device)}; ` +
          "move the state with the model (a device moves a state tree like a model)",
      );
  }
}
