import { type Tensor, add, div, zerosLike } from "@flux/kernels";
import { defineRule } from "../rule.js";

/** Hyper-parameters of `AccumGrad`. */
export interface AccumGradHyper {
  /** How many gradients to average before one update (required, >= 1). */
  readonly n: number;
}

/** `AccumGrad`'s state: the running mean and the 1-based position in the current window. */
export interface AccumGradState {
  readonly acc: Tensor;
  readonly counter: number;
}

/**
 * Accumulates `n` gradients and passes on their mean every `n`-th step (Optimisers.jl's `AccumGrad(n)`);
 * in between it returns no update, so the rest of an `OptimiserChain` (and the parameter) is left alone.
 * Use it first: `OptimiserChain(AccumGrad(4), Adam())` trains as if batches were 4 times larger.
 *
 * Positional: `AccumGrad(n)`; or `AccumGrad({ n })`.
 *
 * @example
 * const rule = OptimiserChain(AccumGrad(2), Descent(0.1));
 */
export const AccumGrad = defineRule<AccumGradHyper, AccumGradState>({
  kind: "AccumGrad",
  defaults: { n: 1 },
  positional: ["n"],
  required: ["n"],
  ranges: { n: { min: 1, integer: true, what: "the number of gradients to accumulate" } },
  init: (_h, x) => ({ acc: zerosLike(x), counter: 1 }),
  apply: (h, { acc, counter }, _x, dx) => {
    const part = div(dx, h.n);
    const a = counter === 1 ? part : add(acc, part);
    return counter === h.n ? [{ acc: a, counter: 1 }, a] : [{ acc: a, counter: counter + 1 }, null];
  },
});
