// The demo's models. With @flux/layers built they are Flux layers (Chain, Dense, Conv, ...); until then an
// MLP made of plain tensors and kernels ops, the same maths as `Chain(Dense(784 => 256, relu),
// Dense(256 => 10))` with Flux's default Glorot-uniform weights and zero biases.
import * as kernels from "@flux/kernels";
import * as layers from "@flux/layers";

const { add, matmul, relu, rand, rng, zeros, mul, sub, reshape } = kernels;
const hasLayers = typeof layers.Dense === "function" && typeof layers.Chain === "function";

/** True when the models come from @flux/layers (else the demo's own tensors-and-ops MLP). */
export const usesLayersPackage = hasLayers;

// Flux's glorot_uniform: U(-s, s) with s = sqrt(6 / (fan_in + fan_out)).
function glorot(out, inp, r) {
  const s = Math.sqrt(6 / (inp + out));
  return kernels.tidy(() => sub(mul(rand([out, inp], { rng: r }), 2 * s), s));
}

/**
 * Builds the model named by `--model` (`mlp` or `cnn`) for 28×28 grey images and 10 classes.
 *
 * Returns `{ model, forward, describe }`: `forward(model, x)` maps a `[784, batch]` f32 tensor to
 * `[10, batch]` logits; `describe(model)` is the printout (Flux's text where @flux/layers provides it).
 *
 * @example
 * const { model, forward } = buildModel("mlp", 1); const logits = forward(model, x);
 */
export function buildModel(kind, seed) {
  if (hasLayers) return buildWithLayers(kind, seed);
  if (kind === "cnn") {
    throw new Error(
      "[demo] --model cnn needs Conv/MaxPool layers from @flux/layers, which is not built yet; use --model mlp.",
    );
  }
  const r = rng(seed);
  const model = {
    layers: [
      { weight: glorot(256, 784, r), bias: zeros([256, 1]) },
      { weight: glorot(10, 256, r), bias: zeros([10, 1]) },
    ],
  };
  const forward = (m, x) => {
    const h = relu(add(matmul(m.layers[0].weight, x), m.layers[0].bias));
    return add(matmul(m.layers[1].weight, h), m.layers[1].bias);
  };
  const describe = () =>
    "Chain(Dense(784 => 256, relu), Dense(256 => 10))  # 203_530 parameters (plain tensors: @flux/layers not built yet)";
  return { model, forward, describe };
}

function buildWithLayers(kind, seed) {
  const { Chain, Dense, Conv, MaxPool, flatten } = layers;
  kernels.setDefaultRng(rng(seed));
  const model =
    kind === "cnn"
      ? Chain(
          (x) => reshape(x, [28, 28, 1, x.shape.at(-1)]),
          Conv([3, 3], 1, 16, relu),
          MaxPool([2, 2]),
          Conv([3, 3], 16, 32, relu),
          MaxPool([2, 2]),
          flatten,
          Dense(5 * 5 * 32, 10),
        )
      : Chain(Dense(784, 256, relu), Dense(256, 10));
  const forward = (m, x) => layers.apply(m, x);
  return { model, forward, describe: (m) => layers.show(m) };
}
