import { type Tensor, add, div, mul, sqrt, zerosLike } from "@flux/kernels";
import { DECAY, LEARNING_RATE, POSITIVE } from "../ranges.js";
import { type Betas, type RuleSpec, defineRule } from "../rule.js";
import { epsOf, ofDtype } from "../scalars.js";
import { betaPowers, momentScalars, nextPowers, updateMoments } from "./moments.js";

/** Hyper-parameters of `Adam`. */
export interface AdamHyper {
  /** Learning rate η (default 0.001). */
  readonly eta: number;
  /** Decays (β₁, β₂) of the first and second moments (default [0.9, 0.999]). */
  readonly beta: Betas;
  /** ϵ added to the denominator (default 1e-8). */
  readonly epsilon: number;
}

/** State of the Adam family: moments `mt`, `vt` and the running powers `betat` = βᵗ. */
export interface AdamState {
  readonly mt: Tensor;
  readonly vt: Tensor;
  readonly betat: Betas;
}

/**
 * @internal Adam's hyper-parameter declaration (defaults, positional order, valid ranges), written once for
 * every rule whose hyper-parameters are Adam's (`NAdam`, `RAdam`, `AdaMax`, `AMSGrad`; `AdaBelief` with its
 * own ϵ default), as Optimisers.jl gives them all the signature `(η = 0.001, β = (0.9, 0.999), ϵ = 1e-8)`.
 */
export const ADAM_HYPER: Pick<RuleSpec<AdamHyper, unknown>, "defaults" | "positional" | "ranges"> = {
  defaults: { eta: 0.001, beta: [0.9, 0.999], epsilon: 1e-8 },
  positional: ["eta", "beta", "epsilon"],
  ranges: { eta: LEARNING_RATE, beta: DECAY, epsilon: POSITIVE },
};

/** @internal Adam's starting state, also NAdam's and AdamW's: zero moments and the powers `βᵗ` at t = 1. */
export function initAdamState(h: Readonly<{ beta: Betas }>, x: Tensor): AdamState {
  return { mt: zerosLike(x), vt: zerosLike(x), betat: betaPowers(x.dtype, h.beta) };
}

/**
 * Adam (Optimisers.jl's `Adam(η = 0.001, β = (0.9, 0.999), ϵ = 1e-8)`): moments
 * `m = β₁ m + (1-β₁) dx`, `v = β₂ v + (1-β₂) dx²`, then
 * `dx' = m / (1-β₁ᵗ) / (sqrt(v / (1-β₂ᵗ)) + ϵ) * η`.
 *
 * Positional: `Adam(eta, beta, epsilon)`; or `Adam({ eta, beta, epsilon })`.
 *
 * @example
 * const state = setup(Adam(1e-3), model);
 */
export const Adam = defineRule<AdamHyper, AdamState>({
  kind: "Adam",
  ...ADAM_HYPER,
  init: initAdamState,
  apply: (h, { mt, vt, betat }, x, dx) => {
    const T = x.dtype;
    const [m, v] = updateMoments(h.beta, mt, vt, dx);
    const mhat = div(m, ofDtype(T, 1 - betat[0]));
    const denom = add(sqrt(div(v, ofDtype(T, 1 - betat[1]))), epsOf(T, h.epsilon));
    const step = mul(div(mhat, denom), ofDtype(T, h.eta));
    return [{ mt: m, vt: v, betat: nextPowers(T, betat, h.beta) }, step];
  },
  fused: (h, { mt, vt, betat }, x) => {
    const T = x.dtype;
    const op = {
      kind: "adam",
      ...momentScalars(T, h.beta),
      correction1: ofDtype(T, 1 - betat[0]),
      correction2: ofDtype(T, 1 - betat[1]),
      epsilon: epsOf(T, h.epsilon),
      eta: ofDtype(T, h.eta),
    } as const;
    return { ops: [op], tensors: [mt, vt], next: { mt, vt, betat: nextPowers(T, betat, h.beta) } };
  },
});
