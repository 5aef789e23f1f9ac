// The vocabulary of the fused optimiser step (`optimiserStep`): each op is one optimisation rule's update of
// the running value `d` (the gradient on entry, the step to subtract at the end), with its state tensors and
// named scalars. A step is a list of ops (an OptimiserChain is their concatenation) followed by `x -= d`.
// The formulas live next to each kernel (cpu/optimiserStep.ts, assembly/optimiser.ts,
// shaders/optimiser_step.wgsl) and follow @flux/optim's rules operation for operation, so that in f32 and f64
// on the CPU the fused step rounds exactly like the chain of element-wise ops it replaces.

// The moment scalars the Adam family (adam, adamw, nadam, radam) starts with.
const MOMENTS = ["beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2"] as const;

/**
 * Every op of the fused optimiser step: its state tensors (read and written in place, shaped like the
 * parameter) and its scalars, in the order the kernels take them. Scalars are given already rounded to the
 * parameter's dtype by the caller (`Math.fround` for f32), as the element-wise ops would round them.
 *
 * - `descent`: `d = d * eta`
 * - `momentum`: `v = v * rho + d * eta; d = v`
 * - `nesterov`: `d' = v * negRho2 + d * gain; v = v * rho - d * eta; d = d'`
 * - `rmsprop` / `rmspropCentred`: `q = q * rho + d² * oneMinusRho` (centred: `l = l * rho + d * oneMinusRho`),
 *   `d = (d * eta) / (sqrt(q - l²) + epsilon)`
 * - `adam`: `m = m * beta1 + d * oneMinusBeta1; v = v * beta2 + d² * oneMinusBeta2;
 *   d = ((m / correction1) / (sqrt(v / correction2) + epsilon)) * eta`
 * - `adamw`: Adam's `u` with learning rate 1, then `(u + x * lambda) * eta` (couple = 1) or
 *   `u * eta + x * lambda` (couple = 0)
 * - `nadam`: `d = (((m * beta1) / nextCorrection1 + (d * oneMinusBeta1) / correction1) /
 *   (sqrt((v * beta2) / correction2) + epsilon)) * eta`
 * - `radam`: rectified (1): `d = (((m / correction1) / (sqrt(v / correction2) + epsilon)) * eta) * r`;
 *   else `d = (m / correction1) * eta`
 * - `adamax`: `m = m * beta1 + d * oneMinusBeta1; u = max(u * beta2, |d|); d = (m / (u + epsilon)) * gain`
 * - `adagrad`: `a = a + d²; d = (d * eta) / (sqrt(a) + epsilon)`
 * - `adadelta`: `a = a * rho + d² * oneMinusRho; d' = (d * sqrt(b + epsilon)) / sqrt(a + epsilon);
 *   b = b * rho + d'² * oneMinusRho`
 * - `lion`: `m = d * beta2 + m * oneMinusBeta2; d = sign(d * beta2MinusBeta1 + m * beta1) * eta`
 * - `clipgrad`: `d = min(max(d, -delta), delta)`
 * - `weightdecay`: `d = d + x * lambda`;  `signdecay`: `d = d + sign(x) * lambda`
 * - `scale`: `d = d * factor[0]`, where `factor` is a one-element tensor (read only; ClipNorm's scale,
 *   computed on the device)
 */
export const OPTIMISER_STEP_OPS = {
  descent: { state: [], scalars: ["eta"] },
  momentum: { state: ["v"], scalars: ["rho", "eta"] },
  nesterov: { state: ["v"], scalars: ["negRho2", "gain", "rho", "eta"] },
  rmsprop: { state: ["quad"], scalars: ["rho", "oneMinusRho", "eta", "epsilon"] },
  rmspropCentred: { state: ["quad", "lin"], scalars: ["rho", "oneMinusRho", "eta", "epsilon"] },
  adam: { state: ["m", "v"], scalars: [...MOMENTS, "correction1", "correction2", "epsilon", "eta"] },
  adamw: {
    state: ["m", "v"],
    scalars: [...MOMENTS, "correction1", "correction2", "epsilon", "eta", "lambda", "couple"],
  },
  nadam: {
    state: ["m", "v"],
    scalars: [...MOMENTS, "nextCorrection1", "correction1", "correction2", "epsilon", "eta"],
  },
  radam: {
    state: ["m", "v"],
    scalars: [...MOMENTS, "correction1", "correction2", "epsilon", "eta", "r", "rectified"],
  },
  adamax: { state: ["m", "u"], scalars: ["beta1", "oneMinusBeta1", "beta2", "epsilon", "gain"] },
  adagrad: { state: ["acc"], scalars: ["eta", "epsilon"] },
  adadelta: { state: ["acc", "dacc"], scalars: ["rho", "oneMinusRho", "epsilon"] },
  lion: { state: ["m"], scalars: ["beta1", "beta2", "oneMinusBeta2", "beta2MinusBeta1", "eta"] },
  clipgrad: { state: [], scalars: ["delta"] },
  weightdecay: { state: [], scalars: ["lambda"] },
  signdecay: { state: [], scalars: ["lambda"] },
  scale: { state: ["factor"], scalars: [] },
} as const satisfies Record<string, { state: readonly string[]; scalars: readonly string[] }>;

/** The name of an op of the fused optimiser step. */
export type OptimiserStepKind = keyof typeof OPTIMISER_STEP_OPS;

/** Every op name, in the order of their numeric codes (the WGSL kernel switches on the index). */
export const OPTIMISER_STEP_KINDS = Object.keys(OPTIMISER_STEP_OPS) as OptimiserStepKind[];

/** The most scalars any op takes (the WGSL uniform block reserves this many per op). */
export const OPTIMISER_STEP_MAX_SCALARS = 12;

/**
 * One op of a fused optimiser step: its `kind` and its scalars by name, e.g.
 * `{ kind: "descent", eta: 0.1 }`.
 */
export type OptimiserStepOp = {
  [K in OptimiserStepKind]: { readonly kind: K } & {
    readonly [P in (typeof OPTIMISER_STEP_OPS)[K]["scalars"][number]]: number;
  };
}[OptimiserStepKind];

/**
 * An op as a backend receives it: its kind, its scalars in declared order, and the index in the state list
 * of its first state tensor.
 */
export interface PackedOptimiserOp {
  readonly kind: OptimiserStepKind;
  readonly scalars: readonly number[];
  readonly state: number;
}
