import { tensorsIn } from "./tree.js";

/**
 * Frees every tensor in `x` now: a tensor, or any tree of them (a gradient, an optimiser's output, a batch).
 *
 * Device memory is not garbage-collected, so a training loop written by hand frees what each step made:
 * the loss and the gradients. Each tensor is freed once even if reached twice (tied gradients); tensors
 * already freed and non-tensor leaves are skipped. `tidy(fn)` is the scoped alternative.
 *
 * @example
 * const { val, grad } = withgradient((m) => loss(m, x, y), model);
 * updateInPlace(state, model, grad[0]);
 * dispose([val, grad]);
 */
export function dispose(x: unknown): void {
  for (const t of tensorsIn(x)) if (!t.isDisposed) t.dispose();
}
