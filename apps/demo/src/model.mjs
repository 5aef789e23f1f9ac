// The demo's models, written as in Flux's model zoo: an MLP by default, a small CNN with `--model cnn`.
import { reshape, rng, setDefaultRng } from "@flux/kernels";
/** @import { Tensor } from "@flux/kernels" */
/** @import { LayerLike } from "@flux/layers" */
import { BatchNorm, Chain, Conv, Dense, MaxPool, apply, flatten, relu, show } from "@flux/layers";

// The loader gives [784, N] columns; Conv wants WHCN images.
/** @param {Tensor} x */
function toImages(x) {
  return reshape(x, [28, 28, 1, /** @type {number} */ (x.shape.at(-1))]); // a batch always has a last dim
}

/**
 * Builds the model named by `--model` (`mlp` or `cnn`) for 28×28 grey images and 10 classes; the
 * weights are drawn from `rng(seed)`.
 *
 * Returns `{ model, forward, describe }`: `forward(model, x)` maps `[784, batch]` to `[10, batch]` logits
 * (Flux's `model(x)`), `describe(model)` is Flux's printout.
 *
 * @example
 * const { model, forward } = buildModel("mlp", 1); const logits = forward(model, x);
 *
 * @param {string} kind
 * @param {number} seed
 */
export function buildModel(kind, seed) {
  setDefaultRng(rng(seed)); // Flux's layers draw their initial weights from the default generator
  const model =
    kind === "cnn"
      ? Chain(
          toImages,
          Conv([3, 3], 1, 16),
          BatchNorm(16, relu),
          MaxPool([2, 2]),
          Conv([3, 3], 16, 32),
          BatchNorm(32, relu),
          MaxPool([2, 2]),
          flatten,
          // LeNet's shape: a hidden Dense layer between the convolutional features and the classes.
          Dense(5 * 5 * 32, 128, relu),
          Dense(128, 10),
        )
      : Chain(Dense(784, 256, relu), Dense(256, 10));
  return {
    model,
    forward: (/** @type {LayerLike} */ m, /** @type {Tensor} */ x) => apply(m, x),
    describe: (/** @type {unknown} */ m) => show(m),
  };
}
