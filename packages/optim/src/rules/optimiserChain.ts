import type { OptimiserStepOp, Tensor } from "@flux/kernels";
import { RuleArgumentError } from "../errors.js";
import { type Rule, type RuleFactory, type RuleResult, defineRule, isRule } from "../rule.js";

/** Hyper-parameters of `OptimiserChain`: the rules, applied in order. */
export interface OptimiserChainHyper {
  readonly opts: readonly Rule[];
}

/**
 * Applies several rules in sequence, each to the previous one's output (Optimisers.jl's
 * `OptimiserChain(opts...)`). State: one sub-state per rule. When a rule returns no update (`AccumGrad`
 * mid-window) the later rules are skipped and keep their state. `OptimiserChain()` subtracts the raw
 * gradient (like `Descent(1)`). `adjust` forwards the changes to every rule that has those fields.
 *
 * @example
 * const rule = OptimiserChain(ClipGrad(1), WeightDecay(), Adam(1e-3));
 */
export const OptimiserChain: RuleFactory<OptimiserChainHyper, unknown[]> = defineRule<
  OptimiserChainHyper,
  unknown[]
>({
  kind: "OptimiserChain",
  defaults: { opts: [] },
  positional: [],
  parse: (args) => {
    args.forEach((a, i) => {
      if (!isRule(a)) {
        throw new RuleArgumentError(
          `OptimiserChain: argument ${i} is not a rule (got ${String(a)}); pass rules such as ClipGrad(1), Adam().`,
        );
      }
    });
    return { opts: args as Rule[] };
  },
  check: (h) => {
    if (!Array.isArray(h.opts) || !h.opts.every(isRule)) {
      throw new RuleArgumentError("OptimiserChain: opts must be an array of rules.");
    }
  },
  // Every rule takes the changes that name its own fields and ignores the rest (as Optimisers.jl).
  adjust: (rule, changes) => OptimiserChain(...rule.opts.map((r) => r.adjust(changes))),
  format: (h) => h.opts.map(String).join(", "),
  init: (h, x) => h.opts.map((r) => r.init(x)),
  // The links' fused forms, concatenated into one pass; any link without one (AccumGrad) leaves the whole
  // chain to `apply`. Only the first link sees the gradient itself.
  fused: (h, states, x, dx) => {
    const ops: OptimiserStepOp[] = [];
    const tensors: Tensor[] = [];
    const next: unknown[] = [];
    for (const [i, r] of h.opts.entries()) {
      const f = r.fused?.(states[i], x, i === 0 ? dx : null) ?? null;
      if (f === null) return null;
      ops.push(...f.ops);
      tensors.push(...f.tensors);
      next.push(f.next);
    }
    return { ops, tensors, next };
  },
  apply: (h, states, x, dx): RuleResult<unknown[]> => {
    const next: unknown[] = [];
    let current: Tensor | null = dx;
    h.opts.forEach((r, i) => {
      if (current === null) {
        next.push(states[i]);
        return;
      }
      const [s, d]: RuleResult<unknown> = r.apply(states[i], x, current);
      next.push(s);
      current = d;
    });
    return [next, current];
  },
});
