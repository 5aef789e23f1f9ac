// @flux/layers: Flux's layers, losses, model printing, model state and safetensors files.
// Layers are objects with `forward(x)` (see README: why not callable functions); `apply(m, x)` calls
// layers and plain functions alike.
export { VERSION } from "./version.js";
export {
  LayersError,
  LayerInputError,
  LayerArgumentError,
  LoadModelError,
  SafetensorsError,
} from "./errors.js";
export { apply, layerConstructor, type LayerLike } from "./layer.js";
export { AbstractLayer } from "./layers/base.js";
export { type Activation, activationName } from "./activation.js";
export { identity } from "./identity.js";
export { type Init, glorotUniform, glorotNormal, randn32, zeros32, ones32, nfan } from "./init.js";
export { type Mode, trainmode, testmode } from "./mode.js";
export { trainables } from "./trainables.js";
export { Dense, type DenseOptions } from "./layers/dense.js";
export { Chain, type NamedLayers } from "./layers/chain.js";
export { Dropout, type DropoutOptions } from "./layers/dropout.js";
export { BatchNorm, type BatchNormOptions } from "./layers/batchNorm.js";
export { Scale } from "./layers/scale.js";
export { LayerNorm } from "./layers/layerNorm.js";
export { Embedding } from "./layers/embedding.js";
export {
  Conv,
  CrossCor,
  ConvTranspose,
  DepthwiseConv,
  type ConvOptions,
  type ConvTransposeOptions,
} from "./layers/conv.js";
export type { Dims, PadSpecN } from "./layers/geometryNd.js";
export { AdaptiveMaxPool, AdaptiveMeanPool, GlobalMaxPool, GlobalMeanPool } from "./layers/adaptivePool.js";
export {
  Upsample,
  PixelShuffle,
  pixelShuffle,
  type UpsampleMode,
  type UpsampleOptions,
} from "./layers/upsample.js";
export { SamePad, type SamePadMarker } from "./layers/samePad.js";
export type { PadSpec, Pair } from "./layers/geometry.js";
export { MaxPool } from "./layers/maxPool.js";
export { MeanPool } from "./layers/meanPool.js";
export type { PoolOptions } from "./layers/pool.js";
export { flatten } from "./layers/flatten.js";
export { SkipConnection } from "./layers/skipConnection.js";
export { Parallel } from "./layers/parallel.js";
export { PairwiseFusion } from "./layers/pairwiseFusion.js";
export { GroupNorm, type GroupNormOptions } from "./layers/groupNorm.js";
export { InstanceNorm, type InstanceNormOptions } from "./layers/instanceNorm.js";
export { AlphaDropout, type AlphaDropoutOptions } from "./layers/alphaDropout.js";
export { Maxout } from "./layers/maxout.js";
export { Bilinear, type BilinearOptions } from "./layers/bilinear.js";
export {
  RNNCell,
  LSTMCell,
  GRUCell,
  GRUv3Cell,
  type LSTMState,
  type CellOutput,
  type RecurrentCellOptions,
} from "./layers/recurrentCells.js";
export {
  RNN,
  LSTM,
  GRU,
  GRUv3,
  Recurrence,
  initialstates,
  type RecurrentOptions,
} from "./layers/recurrent.js";
export {
  MultiHeadAttention,
  type MHADims,
  type MHAForwardOptions,
  type MultiHeadAttentionOptions,
} from "./layers/attention.js";
// NNlib's attention functions live in @flux/kernels (with its ops); re-exported for Flux's spelling.
export { dotProductAttention, makeCausalMask, type AttentionOptions } from "@flux/kernels";
export { show, showCompact } from "./show/show.js";
export { formatBytes } from "./show/format.js";
export type { Aggregate, LossOptions, ClassLossOptions } from "./losses/options.js";
export { xlogy } from "./losses/xlogy.js";
export { mse } from "./losses/mse.js";
export { mae } from "./losses/mae.js";
export { crossentropy } from "./losses/crossentropy.js";
export { logitcrossentropy } from "./losses/logitcrossentropy.js";
export { binarycrossentropy } from "./losses/binarycrossentropy.js";
export { logitbinarycrossentropy } from "./losses/logitbinarycrossentropy.js";
export { xlogx } from "./losses/xlogx.js";
export { msle } from "./losses/msle.js";
export { huberLoss } from "./losses/huberLoss.js";
export { kldivergence } from "./losses/kldivergence.js";
export { poissonLoss } from "./losses/poissonLoss.js";
export { hingeLoss } from "./losses/hingeLoss.js";
export { squaredHingeLoss } from "./losses/squaredHingeLoss.js";
export { diceCoeffLoss } from "./losses/diceCoeffLoss.js";
export { tverskyLoss } from "./losses/tverskyLoss.js";
export { binaryFocalLoss } from "./losses/binaryFocalLoss.js";
export { focalLoss } from "./losses/focalLoss.js";
export { siameseContrastiveLoss } from "./losses/siameseContrastiveLoss.js";
export { labelSmoothing } from "./losses/labelSmoothing.js";
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
export { state } from "./io/state.js";
export { loadmodel } from "./io/loadmodel.js";
export { type TorchLayout, torchLayout } from "./io/torchLayout.js";
export { saveBytes, METADATA_LAYOUT_KEY, METADATA_NAMES_KEY, METADATA_TIES_KEY } from "./io/saveBytes.js";
export { type TensorNames, torchNames } from "./io/torchNames.js";
export type { LoadOptions, OverflowPolicy, SaveOptions } from "./io/options.js";
export { loadBytes } from "./io/loadBytes.js";
export { save, load } from "./io/files.js";
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
} from "./io/checkpoint.js";
export { parseSafetensors, type SafetensorsEntry, type SafetensorsFile } from "./io/safetensors/parse.js";
