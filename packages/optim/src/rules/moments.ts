// The first and second moment averages shared by the Adam family (Adam, AdamW, RAdam, NAdam), kept in one
// place so that every member updates them with the same formula and rounding.
import { type DType, type Tensor, add, mul, square } from "@flux/kernels";
import type { Betas } from "../rule.js";
import { ofDtype } from "../scalars.js";

/** `[β₁ m + (1-β₁) dx, β₂ v + (1-β₂) dx²]`, with the βs rounded to the parameter's dtype. */
export function updateMoments(beta: Betas, mt: Tensor, vt: Tensor, dx: Tensor): [Tensor, Tensor] {
  const T = dx.dtype;
  const b1 = ofDtype(T, beta[0]);
  const b2 = ofDtype(T, beta[1]);
  const m = add(mul(mt, b1), mul(dx, ofDtype(T, 1 - b1)));
  const v = add(mul(vt, b2), mul(square(dx), ofDtype(T, 1 - b2)));
  return [m, v];
}

/** The running powers `βᵗ` as the dtype holds them (Optimisers.jl keeps `T.(β)` in the state). */
export function betaPowers(dtype: DType, beta: Betas): Betas {
  return [ofDtype(dtype, beta[0]), ofDtype(dtype, beta[1])];
}

/** `βᵗ⁺¹ = βᵗ .* β`, rounded to the dtype. */
export function nextPowers(dtype: DType, betat: Betas, beta: Betas): Betas {
  const b = betaPowers(dtype, beta);
  return [ofDtype(dtype, betat[0] * b[0]), ofDtype(dtype, betat[1] * b[1])];
}

/** The moment scalars of the fused Adam-family ops, rounded exactly as `updateMoments` rounds them. */
export function momentScalars(
  dtype: DType,
  beta: Betas,
): { beta1: number; oneMinusBeta1: number; beta2: number; oneMinusBeta2: number } {
  const [b1, b2] = betaPowers(dtype, beta);
  return {
    beta1: b1,
    oneMinusBeta1: ofDtype(dtype, 1 - b1),
    beta2: b2,
    oneMinusBeta2: ofDtype(dtype, 1 - b2),
  };
}
