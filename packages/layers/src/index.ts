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
export { Conv, type ConvOptions } from "./layers/conv";
export { SamePad, type SamePadMarker } from "./layers/samePad";
export type { PadSpec, Pair } from "./layers/geometry";
export { MaxPool } from "./layers/maxPool";
export { MeanPool } from "./layers/meanPool";
export type { PoolOptions } from "./layers/pool";
export { flatten } from "./layers/flatten";
export { SkipConnection } from "./layers/skipConnection";
export { Parallel } from "./layers/parallel";
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
export { saveBytes, METADATA_LAYOUT_KEY, METADATA_TIES_KEY } from "./io/saveBytes";
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
