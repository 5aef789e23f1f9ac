// @flux/layers as a user meets it: layers with forward, Flux's printing, losses, gradients through
// a Chain, state/loadmodel checks and a safetensors round trip through bytes.
import { gradient, ones, relu, sigmoid, sum, tensor } from "@flux/kernels";
import * as layersModule from "@flux/layers";

const layers = { ...layersModule };
const {
  Chain,
  Dense,
  BatchNorm,
  Conv,
  MaxPool,
  flatten,
  mse,
  logitcrossentropy,
  state,
  loadmodel,
  saveBytes,
  loadBytes,
} = layers;

export default function (t) {
  t.check("exports its public names (the README's API) from the built package", () => {
    for (const name of [
      "Dense",
      "Chain",
      "Dropout",
      "BatchNorm",
      "LayerNorm",
      "Embedding",
      "Conv",
      "MaxPool",
      "MeanPool",
      "flatten",
      "SkipConnection",
      "Parallel",
      "mse",
      "mae",
      "crossentropy",
      "logitcrossentropy",
      "binarycrossentropy",
      "logitbinarycrossentropy",
      "trainables",
      "state",
      "loadmodel",
    ])
      t.equal(typeof layers[name], "function", `export ${name}`);
    // Beyond those: kernels' activations re-exported, the safetensors helpers, train/test mode.
    for (const name of ["softmax", "relu", "save", "load", "saveBytes", "loadBytes", "trainmode", "testmode"])
      t.equal(typeof layers[name], "function", `export ${name}`);
  });

  t.check("prints like Flux", () => {
    t.equal(String(Dense(10, 5, sigmoid)), "Dense(10 => 5, σ)   # 55 parameters");
    t.equal(
      String(Chain(Dense(10, 32, relu), Dense(32, 10))),
      "Chain(\n  Dense(10 => 32, relu),                # 352 parameters\n  Dense(32 => 10),                      # 330 parameters\n)                   # Total: 4 arrays, 682 parameters, 2.664 KiB.",
    );
    t.ok(String(BatchNorm(4)).endsWith("# 8 parameters, plus 8 non-trainable"), "BatchNorm counts");
  });

  t.check("a conv net runs forward and gets gradients", () => {
    const m = Chain(Conv([3, 3], 1, 2, relu, { pad: 1 }), MaxPool([2, 2]), flatten, Dense(2 * 4 * 4, 3));
    const x = ones([8, 8, 1, 2]);
    t.deepEqual([...m.forward(x).shape], [3, 2]);
    const y = tensor([1, 0, 0, 0, 1, 0], [3, 2]);
    const [g] = gradient((model) => logitcrossentropy(model.forward(x), y), m);
    t.deepEqual([...g.layers[0].weight.shape], [3, 3, 1, 2]);
    t.ok(mse(ones([2]), ones([2])).itemSync() === 0, "mse of equal tensors is 0");
    t.ok(sum(g.layers[3].bias).itemSync() !== undefined, "bias gradient exists");
  });

  t.check("state/loadmodel and safetensors bytes round trip", async () => {
    const a = Chain(Dense(2, 3), Dense(3, 1));
    const b = Chain(Dense(2, 3), Dense(3, 1));
    loadmodel(b, state(a));
    t.deepEqual([...b.get(1).weight.dataSync()], [...a.get(1).weight.dataSync()]);
    t.throws(() => loadmodel(b, state(Chain(Dense(2, 3), Dense(4, 1)))), "size mismatch must throw");
    const c = Chain(Dense(2, 3), Dense(3, 1));
    loadBytes(await saveBytes(a), c);
    t.deepEqual([...c.get(0).weight.dataSync()], [...a.get(0).weight.dataSync()]);
    t.throws(() => loadBytes(new Uint8Array(5), c), "truncated bytes must throw");
  });
}
