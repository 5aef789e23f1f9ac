import { type Tensor, add, div, mul, sqrt, square, sub, zerosLike } from "@flux/kernels";
import { RuleArgumentError } from "../errors.js";
import { DECAY, LEARNING_RATE, POSITIVE } from "../ranges.js";
import { type RuleFactory, defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";

/** Hyper-parameters of `RMSProp`. */
export interface RMSPropHyper {
  /** Learning rate η (default 0.001). */
  readonly eta: number;
  /** Decay ρ of the squared-gradient average (default 0.9). */
  readonly rho: number;
  /** ϵ added to the denominator (default 1e-8). */
  readonly epsilon: number;
  /** Centred variant: normalise by an estimate of the variance (default false). */
  readonly centred: boolean;
}

/** `RMSProp`'s state: the average of `dx²` and, when centred, of `dx`. */
export interface RMSPropState {
  readonly quad: Tensor;
  readonly lin: Tensor | null;
}

/**
 * RMSProp (Optimisers.jl's `RMSProp(η = 0.001, ρ = 0.9, ϵ = 1e-8; centred = false)`):
 * `quad = ρ quad + (1-ρ) dx²`, centred: `lin = ρ lin + (1-ρ) dx`, then
 * `dx' = η dx / (sqrt(quad - lin²) + ϵ)` (`lin = 0` when not centred).
 *
 * Positional: `RMSProp(eta, rho, epsilon)`, plus `{ centred: true }` last. `adjust` refuses `centred`
 * (the two variants keep different state).
 *
 * @example
 * const state = setup(RMSProp(0.001, { centred: true }), model);
 */
export const RMSProp: RuleFactory<RMSPropHyper, RMSPropState> = defineRule<RMSPropHyper, RMSPropState>({
  kind: "RMSProp",
  defaults: { eta: 0.001, rho: 0.9, epsilon: 1e-8, centred: false },
  positional: ["eta", "rho", "epsilon"],
  ranges: { eta: LEARNING_RATE, rho: DECAY, epsilon: POSITIVE },
  adjust: (rule, changes) => {
    if ("centred" in changes) {
      throw new RuleArgumentError(
        "RMSProp.adjust: centred cannot be adjusted (the variants store different state); setup a new rule.",
      );
    }
    return RMSProp({
      eta: changes.eta !== undefined ? (changes.eta as number) : rule.eta,
      rho: changes.rho !== undefined ? (changes.rho as number) : rule.rho,
      epsilon: changes.epsilon !== undefined ? (changes.epsilon as number) : rule.epsilon,
      centred: rule.centred,
    });
  },
  init: (h, x) => ({ quad: zerosLike(x), lin: h.centred ? zerosLike(x) : null }),
  apply: (h, { quad, lin }, x, dx) => {
    const T = x.dtype;
    const rho = ofDtype(T, h.rho);
    const eta = ofDtype(T, h.eta);
    const q = add(mul(quad, rho), mul(square(dx), ofDtype(T, 1 - rho)));
    const l = lin === null ? null : add(mul(lin, rho), mul(dx, ofDtype(T, 1 - rho)));
    const spread = l === null ? q : sub(q, square(l));
    const step = div(mul(dx, eta), add(sqrt(spread), epsOf(T, h.epsilon)));
    return [{ quad: q, lin: l }, step];
  },
  fused: (h, state, x) => {
    const T = x.dtype;
    const rho = ofDtype(T, h.rho);
    const scalars = {
      rho,
      oneMinusRho: ofDtype(T, 1 - rho),
      eta: ofDtype(T, h.eta),
      epsilon: epsOf(T, h.epsilon),
    };
    const { quad, lin } = state;
    return lin === null
      ? { ops: [{ kind: "rmsprop", ...scalars }], tensors: [quad], next: state }
      : { ops: [{ kind: "rmspropCentred", ...scalars }], tensors: [quad, lin], next: state };
  },
});
