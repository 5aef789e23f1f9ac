// DistributedOptimizer: a @flux/optim rule whose gradients are averaged over the workers first (Flux's
// DistributedOptimizer), built on averageGradients and on optim's own setup / updateInPlace.
import { callableClass, checkNotPromise } from "@flux/functors";
import { type Tensor, tensorsIn } from "@flux/kernels";
import { type Rule, type RuleResult, type StateTree, setup, updateInPlace } from "@flux/optim";
import type { DistributedBackend } from "../backend.js";
import { DistributedArgumentError } from "../errors.js";
import { averageGradients } from "./averageGradients.js";

class DistributedOptimizerImpl<S = unknown> {
  constructor(
    /** The backend whose workers average their gradients. */
    readonly backend: DistributedBackend,
    /** The rule applied to the averaged gradient (a @flux/optim rule such as `Adam(1e-3)`). */
    readonly rule: Rule<S>,
  ) {
    checkNotPromise(rule, "DistributedOptimizer", "rule");
    if (typeof rule?.init !== "function" || typeof rule?.apply !== "function")
      throw new DistributedArgumentError(
        `DistributedOptimizer(b, rule): rule must be a @flux/optim rule such as Adam(1e-3) (with init and ` +
          `apply); got ${rule === null ? "null" : typeof rule}.`,
      );
  }

  /** The optimiser state for a whole model: optim's `setup(rule, model)`. */
  setup(model: unknown): StateTree {
    checkNotPromise(model, "DistributedOptimizer.setup", "model");
    return setup(this.rule, model);
  }

  /**
   * One training step on a whole model, in place: averages `grad` over the workers (one flat allreduce),
   * then optim's `updateInPlace(state, model, averaged)`. Every rank must call it with the same model
   * structure. `grad` stays the caller's to free; the averaged copies are freed here.
   */
  async update<M>(state: StateTree, model: M, grad: unknown): Promise<[StateTree, M]> {
    checkNotPromise(state, "DistributedOptimizer.update", "state");
    checkNotPromise(model, "DistributedOptimizer.update", "model");
    checkNotPromise(grad, "DistributedOptimizer.update", "grad");
    const avg = await averageGradients(this.backend, grad);
    try {
      return updateInPlace(state, model, avg);
    } finally {
      freeUnless(avg, state);
    }
  }

  /** The wrapped rule's state for one parameter `x` (Flux's `init`). */
  init(x: Tensor): S {
    return this.rule.init(x);
  }

  /**
   * One parameter's step, as Flux's `apply!`: averages `dx` over the workers, then returns the wrapped
   * rule's `[state, step]`. Every rank must update the same parameters in the same order. Prefer
   * {@link DistributedOptimizer.update}, which averages the whole gradient in one transfer.
   */
  async apply(state: S, x: Tensor, dx: Tensor): Promise<RuleResult<S>> {
    checkNotPromise(x, "DistributedOptimizer.apply", "x");
    checkNotPromise(dx, "DistributedOptimizer.apply", "dx");
    const avg = await averageGradients(this.backend, dx);
    const out = this.rule.apply(state, x, avg);
    freeUnless(avg, out);
    return out;
  }

  toString(): string {
    return `DistributedOptimizer(${this.backend}, ${String(this.rule)})`;
  }
}

/**
 * Wraps a @flux/optim rule so that gradients are averaged over all workers before the rule sees them
 * (Flux's `DistributedOptimizer`). With equal per-rank batches and a mean loss this is the gradient of the
 * global batch, so N ranks train exactly as one process on the concatenated batch.
 *
 * Whole models: `opt.setup(model)` is optim's `setup(rule, model)`, and `await opt.update(state, model, grad)`
 * is optim's `updateInPlace(state, model, await averageGradients(b, grad))` (one flat allreduce for the
 * whole gradient; the averaged temporaries are freed). One parameter at a time, as Flux's `apply!`:
 * `await opt.apply(state, x, dx)` (one allreduce per call: slower; for parity).
 *
 * @example
 * const opt = DistributedOptimizer(b, Adam(1e-3));
 * const state = opt.setup(model);
 * const { val, grad } = withgradient((m) => loss(m, x, y), model);
 * await opt.update(state, model, grad[0]);
 * dispose([val, grad]);
 */
export const DistributedOptimizer = callableClass(
  DistributedOptimizerImpl,
  "DistributedOptimizer",
) as typeof DistributedOptimizerImpl &
  (<S>(backend: DistributedBackend, rule: Rule<S>) => DistributedOptimizerImpl<S>);
/** An instance of `DistributedOptimizer`. */
export type DistributedOptimizer<S = unknown> = DistributedOptimizerImpl<S>;

/** Frees the tensors of `made` (ours) that `kept` does not hold (a rule may return or keep its input). */
function freeUnless(made: unknown, kept: unknown): void {
  const keep = new Set(tensorsIn(kept));
  for (const t of tensorsIn(made)) if (!keep.has(t) && !t.isDisposed) t.dispose();
}
