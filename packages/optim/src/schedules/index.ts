// Learning-rate (and any hyper-parameter) schedules, a port of ParameterSchedulers.jl 0.4: each a function
// of the 1-based iteration, for `adjust` (`adjustInPlace(state, { eta: s(t) })`) and `train`'s `schedule`.
export {
  type Schedule,
  type ScheduleLike,
  type WaveOptions,
  ScheduleError,
  makeSchedule,
} from "./schedule.js";
export { Constant } from "./constant.js";
export { type StepOptions, Step } from "./step.js";
export { type ExpOptions, Exp } from "./exp.js";
export { type PolyOptions, Poly } from "./poly.js";
export { type InvOptions, Inv } from "./inv.js";
export { Triangle, TriangleDecay2, TriangleExp } from "./triangle.js";
export { Sin, SinDecay2, SinExp } from "./sin.js";
export { type CosAnnealOptions, CosAnneal } from "./cosAnneal.js";
export { Sequence } from "./sequence.js";
export { Loop, Interpolator, Shifted, Shortened } from "./combinators.js";
export { type OneCycleOptions, OneCycle } from "./oneCycle.js";
export { type WarmupOptions, Warmup } from "./warmup.js";
