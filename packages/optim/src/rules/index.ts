// Every public rule (the Optimisers.jl 0.4 rules the README lists), one file each. Adding a rule = one file here + one line in RULES of rules.test.ts.
export { AccumGrad, type AccumGradHyper, type AccumGradState } from "./accumGrad.js";
export { AdaDelta, type AdaDeltaHyper, type AdaDeltaState } from "./adadelta.js";
export { AdaGrad, type AdaGradHyper } from "./adagrad.js";
export { Adam, type AdamHyper, type AdamState } from "./adam.js";
export { AdaMax, type AdaMaxHyper, type AdaMaxState } from "./adamax.js";
export { AdamW, type AdamWHyper } from "./adamw.js";
export { ClipGrad, type ClipGradHyper } from "./clipGrad.js";
export { ClipNorm, type ClipNormHyper } from "./clipNorm.js";
export { Descent, type DescentHyper } from "./descent.js";
export { Lion, type LionHyper } from "./lion.js";
export { Momentum, type MomentumHyper } from "./momentum.js";
export { NAdam, type NAdamHyper } from "./nadam.js";
export { Nesterov, type NesterovHyper } from "./nesterov.js";
export { OptimiserChain, type OptimiserChainHyper } from "./optimiserChain.js";
export { RAdam, type RAdamHyper, type RAdamState } from "./radam.js";
export { RMSProp, type RMSPropHyper, type RMSPropState } from "./rmsprop.js";
export { SignDecay, type SignDecayHyper } from "./signDecay.js";
export { WeightDecay, type WeightDecayHyper } from "./weightDecay.js";
