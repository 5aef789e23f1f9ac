// DistributedOptimizer: average gradients over workers, then apply the wrapped rule (Flux's DistributedOptimizer).
import type { DistributedBackend } from "../backend";
import { allreduce, type Collectable } from "../collectives";

/** An Optimisers-style rule: a state per parameter, and an update that returns `[state, step]`. */
export interface OptimiserRule<S = unknown, X = any> {
  init(x: X): S;
  apply(state: S, x: X, dx: X): [S, X] | Promise<[S, X]>;
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
export class DistributedOptimizer<S = unknown, X extends Collectable = any> implements OptimiserRule<S, X> {
  constructor(
    /** The backend whose workers average their gradients. */
    readonly backend: DistributedBackend,
    /** The rule applied to the averaged gradient. */
    readonly rule: OptimiserRule<S, X>,
  ) {}

  /** The wrapped rule's state for parameter `x`. */
  init(x: X): S {
    return this.rule.init(x);
  }

  /** Averages `dx` over workers, then returns the wrapped rule's `[state, step]`. */
  async apply(state: S, x: X, dx: X): Promise<[S, X]> {
    const avg = await allreduce(this.backend, dx, "avg");
    return this.rule.apply(state, x, avg);
  }

  toString(): string {
    return `DistributedOptimizer(${this.backend}, ${String(this.rule)})`;
  }
}
