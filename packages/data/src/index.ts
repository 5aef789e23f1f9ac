// The public API of @flux/data: MLUtils' observation interface and DataLoader, a prefetching device
// iterator, and local readers for IDX / (Fashion-)MNIST files.

export const VERSION = "0.1.0";
export {
  DataError,
  NotADataContainerError,
  ObsCountMismatchError,
  DataArgumentError,
  IdxFormatError,
  DatasetNotFoundError,
} from "./errors.js";
export type { ObsContainer, TypedArrayLike } from "./container.js";
export { numobs, getobs, type ObsIndex } from "./observation.js";
export { ObsView, obsview } from "./obsview.js";
export { MappedData, mapobs } from "./mapobs.js";
export { shuffleobs } from "./shuffleobs.js";
export { splitobs, type SplitAt, type SplitOptions } from "./splitobs.js";
export { batch } from "./batch.js";
export {
  DataLoader,
  type DataLoaderConstructor,
  type DataLoaderOptions,
  type Collate,
  isDataLoader,
} from "./dataLoader.js";
export {
  prefetchToDevice,
  DevicePrefetchIterator,
  type DeviceFn,
  type PrefetchOptions,
} from "./prefetch.js";
export { parseIdx, readIdx, type IdxArray, type ReadIdxOptions } from "./datasets/idx.js";
export { gunzip, type GunzipOptions } from "./datasets/gunzip.js";
export {
  MNIST,
  FashionMNIST,
  FASHION_MNIST_CLASSES,
  type MnistOptions,
  type MnistData,
} from "./datasets/mnist.js";
export type { Batched, LoaderBatch, Obs, ObsBatch } from "./batchTypes.js";
export {
  type ImageTransformOptions,
  type ImageTransform,
  type RandomTransformOptions,
  type RandomCropOptions,
  type RandomFlipOptions,
  type RandomErasingOptions,
  type NormalizeOptions,
  randomCrop,
  randomFlip,
  randomErasing,
  normalize,
  compose,
  augment,
} from "./transforms/index.js";
