// DistributedOptimizer: average gradients over workers, then apply the wrapped rule (Flux's DistributedOptimizer).
import type { DistributedBackend } from "../backend.js";
import { allreduce, type Collectable } from "../collectives.js";

/**
 * What a rule's `apply` returns: the new state and the step to subtract. Read-only, as @flux/optim's rules
 * return it (their step is `Tensor | null`, `null` meaning "no update this step").
 */
export type OptimiserStep<S, D> = readonly [state: S, step: D];

/**
 * An Optimisers-style rule: a state per parameter, and an update that returns `[state, step]`.
 *
 * `X` is the parameter (and gradient) type, `D` the step type (`X` unless the rule may skip a step, as
 * @flux/optim's `Tensor | null`). @flux/optim's rules (`Adam()`, ...) are such rules.
 *
 * @example
 * const sgd: OptimiserRule<null, Float32Array> = {
 *   init: () => null,
 *   apply: (s, x, dx) => [s, dx.map((g) => 0.1 * g)],
 * };
 */
export interface OptimiserRule<S = unknown, X = any, D = X> {
  init(x: X): S;
  apply(state: S, x: X, dx: X): OptimiserStep<S, D> | Promise<OptimiserStep<S, D>>;
}

/**
 * Wraps `rule` so that each gradient is averaged over all workers (allreduce "avg") before the rule sees
 * it (Flux's `DistributedOptimizer`). With equal per-rank batches this is the gradient of the global batch.
 *
 * `apply` is async (the average is a collective); every rank must update the same parameters in the same
 * order. A typed-array gradient is averaged in place; a tensor gradient is replaced by a new tensor.
 *
 * @example
 * const opt = new DistributedOptimizer(b, Adam(1e-3));
 * const [state, step] = await opt.apply(opt.init(w), w, g);
 */
export class DistributedOptimizer<S = unknown, X extends Collectable = any, D = X>
  implements OptimiserRule<S, X, D>
{
  constructor(
    /** The backend whose workers average their gradients. */
    readonly backend: DistributedBackend,
    /** The rule applied to the averaged gradient. */
    readonly rule: OptimiserRule<S, X, D>,
  ) {}

  /** The wrapped rule's state for parameter `x`. */
  init(x: X): S {
    return this.rule.init(x);
  }

  /** Averages `dx` over workers, then returns the wrapped rule's `[state, step]`. */
  async apply(state: S, x: X, dx: X): Promise<OptimiserStep<S, D>> {
    const avg = await allreduce(this.backend, dx, "avg");
    return this.rule.apply(state, x, avg);
  }

  toString(): string {
    return `DistributedOptimizer(${this.backend}, ${String(this.rule)})`;
  }
}
