// @flux/layers: Flux's layers, losses, model printing, model state and safetensors files.
// Layers are objects with `forward(x)` (see README: why not callable functions); `apply(m, x)` calls
// layers and plain functions alike.
export { VERSION } from "./version";
export { LayersError, LayerInputError, LayerArgumentError, LoadModelError, SafetensorsError } from "./errors";
export { apply, layerConstructor, type LayerConstructor, type LayerLike } from "./layer";
export { AbstractLayer } from "./layers/base";
export { type Activation, activationName } from "./activation";
export { identity } from "./identity";
export { type Init, glorotUniform, glorotNormal, randn32, zeros32, ones32, nfan } from "./init";
export { type Mode, trainmode, testmode } from "./mode";
export { trainables } from "./trainables";
export { Dense, type DenseOptions } from "./layers/dense";
export { Chain, type NamedLayers } from "./layers/chain";
export { Dropout, type DropoutOptions } from "./layers/dropout";
export { BatchNorm, type BatchNormOptions } from "./layers/batchNorm";
export { Scale } from "./layers/scale";
export { LayerNorm } from "./layers/layerNorm";
export { Embedding } from "./layers/embedding";
export {
  Conv,
  CrossCor,
  ConvTranspose,
  DepthwiseConv,
  type ConvOptions,
  type ConvTransposeOptions,
} from "./layers/conv";
export type { Dims, PadSpecN } from "./layers/geometryNd";
export { AdaptiveMaxPool, AdaptiveMeanPool, GlobalMaxPool, GlobalMeanPool } from "./layers/adaptivePool";
export {
  Upsample,
  PixelShuffle,
  pixelShuffle,
  type UpsampleMode,
  type UpsampleOptions,
} from "./layers/upsample";
export { SamePad, type SamePadMarker } from "./layers/samePad";
export type { PadSpec, Pair } from "./layers/geometry";
export { MaxPool } from "./layers/maxPool";
export { MeanPool } from "./layers/meanPool";
export type { PoolOptions } from "./layers/pool";
export { flatten } from "./layers/flatten";
export { SkipConnection } from "./layers/skipConnection";
export { Parallel } from "./layers/parallel";
export { GroupNorm, type GroupNormOptions } from "./layers/groupNorm";
export { InstanceNorm, type InstanceNormOptions } from "./layers/instanceNorm";
export { AlphaDropout, type AlphaDropoutOptions } from "./layers/alphaDropout";
export { Maxout } from "./layers/maxout";
export { Bilinear, type BilinearOptions } from "./layers/bilinear";
export {
  RNNCell,
  LSTMCell,
  GRUCell,
  GRUv3Cell,
  type LSTMState,
  type CellOutput,
  type RecurrentCellOptions,
} from "./layers/recurrentCells";
export {
  RNN,
  LSTM,
  GRU,
  GRUv3,
  Recurrence,
  initialstates,
  type RecurrentOptions,
} from "./layers/recurrent";
export {
  MultiHeadAttention,
  type MHADims,
  type MHAForwardOptions,
  type MultiHeadAttentionOptions,
} from "./layers/attention";
export { dotProductAttention, makeCausalMask, type AttentionOptions } from "./layers/dotProductAttention";
export { show, showCompact } from "./show/show";
export { underscorise, formatBytes } from "./show/format";
export type { Aggregate, LossOptions, ClassLossOptions } from "./losses/options";
export { xlogy } from "./losses/xlogy";
export { mse } from "./losses/mse";
export { mae } from "./losses/mae";
export { crossentropy } from "./losses/crossentropy";
export { logitcrossentropy } from "./losses/logitcrossentropy";
export { binarycrossentropy } from "./losses/binarycrossentropy";
export { logitbinarycrossentropy } from "./losses/logitbinarycrossentropy";
export { xlogx } from "./losses/xlogx";
export { msle } from "./losses/msle";
export { huberLoss } from "./losses/huberLoss";
export { kldivergence } from "./losses/kldivergence";
export { poissonLoss } from "./losses/poissonLoss";
export { hingeLoss } from "./losses/hingeLoss";
export { squaredHingeLoss } from "./losses/squaredHingeLoss";
export { diceCoeffLoss } from "./losses/diceCoeffLoss";
export { tverskyLoss } from "./losses/tverskyLoss";
export { binaryFocalLoss } from "./losses/binaryFocalLoss";
export { focalLoss } from "./losses/focalLoss";
export { siameseContrastiveLoss } from "./losses/siameseContrastiveLoss";
export { labelSmoothing } from "./losses/labelSmoothing";
// Activations and softmax come from @flux/kernels, re-exported so `import { relu } from "@flux/layers"` works.
export {
  relu,
  sigmoid,
  σ,
  tanh,
  leakyrelu,
  elu,
  gelu,
  softplus,
  swish,
  softmax,
  logsoftmax,
} from "@flux/kernels";
export { state } from "./io/state";
export { loadmodel } from "./io/loadmodel";
export { type TorchLayout, torchLayout } from "./io/torchLayout";
export { saveBytes, METADATA_LAYOUT_KEY, METADATA_NAMES_KEY, METADATA_TIES_KEY } from "./io/saveBytes";
export { type TensorNames, torchNames } from "./io/torchNames";
export type { LoadOptions, OverflowPolicy, SaveOptions } from "./io/options";
export { loadBytes } from "./io/loadBytes";
export { save, load } from "./io/files";
export {
  type Checkpoint,
  type CheckpointContents,
  type CheckpointTargets,
  type JsonValue,
  CHECKPOINT_VERSION,
  CheckpointError,
  checkpointBytes,
  loadCheckpointBytes,
  saveCheckpoint,
  loadCheckpoint,
} from "./io/checkpoint";
export { parseSafetensors, type SafetensorsEntry, type SafetensorsFile } from "./io/safetensors/parse";
