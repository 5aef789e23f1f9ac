// Image augmentation as `mapobs` transforms: each a function from a tensor of images (one observation or a
// batch) to a new tensor, drawing its random choices from a seeded Rng, run inside the DataLoader.
export type { ImageTransformOptions, ImageTransform, RandomTransformOptions } from "./images.js";
export { type RandomCropOptions, randomCrop } from "./randomCrop.js";
export { type RandomFlipOptions, randomFlip } from "./randomFlip.js";
export { type RandomErasingOptions, randomErasing } from "./randomErasing.js";
export { type NormalizeOptions, normalize } from "./normalize.js";
export { compose } from "./compose.js";
export { augment } from "./augment.js";
