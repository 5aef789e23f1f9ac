import { type Tensor, add, mul, sign, zerosLike } from "@flux/kernels";
import { DECAY, LEARNING_RATE } from "../ranges.js";
import { type Betas, defineRule } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** Hyper-parameters of `Lion`. */
export interface LionHyper {
  /** Learning rate η (default 0.001). */
  readonly eta: number;
  /** Decays (β₁, β₂) (default [0.9, 0.999]). */
  readonly beta: Betas;
}

/**
 * Lion (Optimisers.jl's `Lion(η = 0.001, β = (0.9, 0.999))`), exactly as Optimisers.jl 0.4 writes it:
 * `m = β₂ dx + (1-β₂) m`, then `dx' = η sign((β₂-β₁) dx + β₁ m)`. State: `m`. (See PARITY.md: this
 * weighting of `m` differs from the paper's `β₂ m + (1-β₂) dx`; we follow Optimisers.jl.)
 *
 * Positional: `Lion(eta, beta)`; or `Lion({ eta, beta })`.
 *
 * @example
 * const state = setup(Lion(1e-4), model);
 */
export const Lion = defineRule<LionHyper, Tensor>({
  kind: "Lion",
  defaults: { eta: 0.001, beta: [0.9, 0.999] },
  positional: ["eta", "beta"],
  ranges: { eta: LEARNING_RATE, beta: DECAY },
  init: (_h, x) => zerosLike(x),
  apply: (h, state, x, dx) => {
    const T = x.dtype;
    const b1 = ofDtype(T, h.beta[0]);
    const b2 = ofDtype(T, h.beta[1]);
    const m = add(mul(dx, b2), mul(state, ofDtype(T, 1 - b2)));
    const step = mul(sign(add(mul(dx, ofDtype(T, b2 - b1)), mul(m, b1))), ofDtype(T, h.eta));
    return [m, step];
  },
  fused: (h, m, x) => {
    const T = x.dtype;
    const b1 = ofDtype(T, h.beta[0]);
    const b2 = ofDtype(T, h.beta[1]);
    const op = {
      kind: "lion",
      beta1: b1,
      beta2: b2,
      oneMinusBeta2: ofDtype(T, 1 - b2),
      beta2MinusBeta1: ofDtype(T, b2 - b1),
      eta: ofDtype(T, h.eta),
    } as const;
    return { ops: [op], tensors: [m], next: m };
  },
});
