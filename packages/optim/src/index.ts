// @flux/optim: optimisers for @flux, a port of Optimisers.jl 0.4 (rules, setup/update, adjust, freeze,
// destructure) plus Flux's `train!` as `train`.
export { VERSION } from "./version.js";
export * from "./rules/index.js";
export {
  type Rule,
  type RuleOf,
  type RuleArgs,
  type RuleFactory,
  type RuleResult,
  type RuleSpec,
  type Betas,
  type FusedStep,
  defineRule,
  isRule,
  init,
  applyRule,
} from "./rule.js";
export { Leaf, isOptimLeaf } from "./leaf.js";
export type { StateTree } from "./tree.js";
export { setup } from "./setup.js";
export { update, updateInPlace } from "./update.js";
export { type Adjustment, adjust, adjustInPlace } from "./adjust.js";
export { freeze, thaw } from "./freeze.js";
export { type Restructure, destructure } from "./destructure.js";
export {
  type CallbackResult,
  type EpochInfo,
  type LossFn,
  type StepInfo,
  type TrainOptions,
  type TrainProgress,
  type TrainResult,
  train,
} from "./train.js";
export * from "./schedules/index.js";
export { ofDtype, epsOf } from "./scalars.js";
export type { Range } from "./ranges.js";
export {
  OptimError,
  RuleArgumentError,
  OptimStructureError,
  NonFiniteGradientError,
  NonFiniteLossError,
} from "./errors.js";
