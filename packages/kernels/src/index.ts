// The public API of @flux/kernels: tensors, their ops, backends, memory tools and autodiff.

export { VERSION } from "./version.js";
export { Tensor, isTensor, type NestedArray } from "./tensor.js";
export {
  type DType,
  DTYPES,
  type TypedArray,
  arrayCtor,
  bytesPerElement,
  isDType,
  isFloat,
  promoteTypes,
} from "./dtype.js";
export { type Shape, broadcastShapes, sizeOf, stridesOf } from "./shape.js";
export { type DeviceDescriptor, deviceOf, parseDevice } from "./device.js";
export {
  KernelsError,
  DeviceMismatchError,
  DisposedTensorError,
  ShapeError,
  DTypeError,
  BackendNotFoundError,
  ArgumentError,
  AllocationError,
  GradientError,
  SyncReadError,
} from "./errors.js";
export type {
  AttentionGrads,
  AttentionOperands,
  AttentionOutput,
  Backend,
  BackendMemoryInfo,
  Conv2dGeometry,
  GruSequenceGrads,
  GruSequenceOperands,
  GruSequenceOutput,
  LstmSequenceGrads,
  LstmSequenceOperands,
  LstmSequenceOutput,
  LstmSequenceWants,
  MatmulOptions,
  Pool2dGeometry,
  TensorView,
} from "./backend.js";
// The op declarations (opNames.ts): the lists and the unary table; the lookup helpers stay internal.
export {
  type ArgReduceOp,
  type ArithmeticOp,
  type BinaryOp,
  type ComparisonOp,
  type OpDomain,
  type PoolOp,
  type ReduceOp,
  type UnaryOp,
  type UnaryOpSpec,
  ARG_REDUCE_OPS,
  ARITHMETIC_OPS,
  BINARY_OPS,
  COMPARISON_OPS,
  INTEGER_UNARY_OPS,
  POOL_OPS,
  REDUCE_OPS,
  UNARY_OP_SPECS,
  UNARY_OPS,
  ZERO_GRADIENT_UNARY_OPS,
  isComparison,
} from "./opNames.js";
export {
  type BackendProvider,
  LAZY_BUILTIN_BACKENDS,
  registerBackend,
  getBackend,
  getBackendSync,
  isBackendLoaded,
  listBackends,
  loadBackendProvider,
  peekBackend,
} from "./registry.js";
export { CpuBackend } from "./cpu/backend.js";
export { cpuBackendProvider } from "./cpu/provider.js";
export { type CpuKernelKind, cpuKernelInfo, cpuKernelsReady, setCpuThreads } from "./cpu/wasm/index.js";
export { type MemoryInfo, memory, trim, tidy, keep, setDebugLeaks } from "./memory.js";
export { writeFileAtomic, writeFileAtomicSync } from "./io/writeFileAtomic.js";
export { readEnv } from "./env.js";
export { Rng, type RngState, rng, defaultRng, setDefaultRng } from "./rng.js";
export {
  type CreationOptions,
  type RandomOptions,
  type NestedData,
  tensor,
  zeros,
  ones,
  fill,
  zerosLike,
  onesLike,
  arange,
  rand,
  randn,
} from "./ops/creation.js";
export {
  type Operand,
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  where,
} from "./ops/elementwise.js";
// Every unary op's public function (neg, abs, ..., relu, gelu, mish, σ): the module exports nothing else.
export * from "./ops/unary.js";
export { type ReduceOptions, sum, prod, max, min, mean, argmax, argmin } from "./ops/reduce.js";
export { type MatmulOpts, matmul } from "./ops/matmul.js";
export { type FusedActivation, type MuladdOptions, muladd, biasAct, dense } from "./ops/fused.js";
export { convBiasAct } from "./ops/convBiasAct.js";
export {
  type Index,
  reshape,
  permutedims,
  transpose,
  selectdim,
  selectobs,
  cat,
  vcat,
  hcat,
} from "./ops/shape.js";
export { type SoftmaxOptions, softmax, logsoftmax } from "./ops/softmax.js";
export { type AttentionOptions, dotProductAttention, makeCausalMask } from "./ops/attention.js";
export { type LayerNormOptions, layernorm } from "./ops/layernorm.js";
export { type LstmSequenceResult, lstmSequence } from "./ops/lstm.js";
export { type GruSequenceResult, gruSequence } from "./ops/gru.js";
export { cast, clone, assign, toDevice } from "./ops/convert.js";
export { type Grad, type WithGradient, gradient, withgradient } from "./autodiff/gradient.js";
export { withinGradient } from "./autodiff/withinGradient.js";
export { dispose } from "./dispose.js";
export { tensorsIn } from "./tree.js";
export {
  type Pair,
  type Padding,
  type ConvOpOptions,
  type PoolOpOptions,
  conv,
  maxpool,
  meanpool,
} from "./ops/conv.js";
export { type OnehotOptions, onehotbatch, onecold } from "./ops/onehot.js";
export { type DropoutOpOptions, dropout } from "./ops/dropout.js";
export { optimiserStep, optimiserStepSupported } from "./ops/optimiserStep.js";
export {
  OPTIMISER_STEP_OPS,
  OPTIMISER_STEP_KINDS,
  type OptimiserStepKind,
  type OptimiserStepOp,
  type PackedOptimiserOp,
} from "./optimiserOps.js";
