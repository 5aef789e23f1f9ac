// Shared fixtures of the integration suite: where the real Fashion-MNIST files live, the model every test
// trains, and kernels' WebGPU test gate (plus a @flux/devices selection check), which turns "no adapter"
// into a FAILURE under FLUX_REQUIRE_WEBGPU=1.
import { type DataLoader, FashionMNIST } from "@flux/data";
import { getDevice, gpu, gpuDevice } from "@flux/devices";
import { onecold, onehotbatch, rng, setDefaultRng, type Tensor, tensor, tidy } from "@flux/kernels";
import { Chain, Dense, relu } from "@flux/layers";
import { webgpuAvailableForTests } from "../../../packages/kernels/src/webgpu/testing.js";
import { fashionMnistDir, haveFashionMnist as haveFashionMnistIn } from "../../../tooling/fixtures.mjs";

/**
 * The four Fashion-MNIST IDX files: `$FLUX_FASHION_MNIST_DIR`, else `shared/datasets/fashion-mnist` next to
 * the repository (tooling/fixtures.mjs, the one place that knows). Nothing is downloaded.
 */
export const FASHION_MNIST_DIR = fashionMnistDir();

/** Whether the real data set is on this machine (tests that need it skip, with a warning, when not). */
export const haveFashionMnist = haveFashionMnistIn(FASHION_MNIST_DIR);
if (!haveFashionMnist) console.warn(`[integration] Fashion-MNIST not found in ${FASHION_MNIST_DIR}: skipped`);

/** The ten classes as the label files number them. */
export const CLASSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** One split of the real data set: `x` `[784, N]` f32 in [0, 1], `y` one-hot `[10, N]`, `labels` 0-9. */
export interface Split {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly labels: Int32Array;
}

/**
 * Loads a split of the real Fashion-MNIST, flattened, with one-hot targets; `n` keeps the first n images.
 *
 * @example
 * const test = await loadSplit("test"); test.x.shape; // [784, 10000]
 */
export async function loadSplit(split: "train" | "test", n?: number): Promise<Split> {
  const { features, targets } = await FashionMNIST({ dir: FASHION_MNIST_DIR, split, flatten: true });
  if (n === undefined || n >= targets.length) {
    return { x: features, y: onehotbatch(targets, CLASSES), labels: targets };
  }
  const labels = targets.slice(0, n);
  const x = tensorPrefix(features, n);
  features.dispose();
  return { x, y: onehotbatch(labels, CLASSES), labels };
}

/** The first `n` columns of a `[d, N]` CPU tensor, as a new CPU tensor (column-major: a prefix). */
function tensorPrefix(t: Tensor, n: number): Tensor {
  const d = t.shape[0]!;
  return tensor(t.dataSync().slice(0, d * n), [d, n]);
}

/** The Fashion-MNIST MLP of Flux's model zoo: 784 → 256 (relu) → 10 logits. */
export type Mlp = ReturnType<typeof buildMlp>;

/**
 * Builds `Chain(Dense(784, 256, relu), Dense(256, 10))` on the CPU with weights drawn from `rng(seed)`
 * (Flux's layers draw from the default generator, so it is replaced first).
 *
 * @example
 * const model = buildMlp(1); model.forward(x); // [10, batch]
 */
export function buildMlp(seed: number) {
  setDefaultRng(rng(seed));
  return Chain(Dense(784, 256, relu), Dense(256, 10));
}

/**
 * Fraction of columns of `x` the model classifies as `labels` (argmax of the logits), read back once.
 *
 * @example
 * const acc = await accuracy(model, test.x, test.labels); // 0.87
 */
export async function accuracy(model: Mlp, x: Tensor, labels: Int32Array): Promise<number> {
  const predicted = tidy(() => onecold(model.forward(x)));
  const got = await predicted.data();
  predicted.dispose();
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (got[i] === labels[i]) right++;
  return right / labels.length;
}

/**
 * Whether the WebGPU tests can run: a functional adapter (a real kernel and a readback, @flux/kernels'
 * probe) that @flux/devices also selects. `false` skips them with a warning; with FLUX_REQUIRE_WEBGPU=1
 * (CI) it THROWS instead, so a missing GPU fails the run rather than passing it quietly.
 *
 * @example
 * const gpuOk = await webgpuForTests(); describe.skipIf(!gpuOk)("on the GPU", () => { ... });
 */
export function webgpuForTests(): Promise<boolean> {
  return webgpuAvailableForTests({
    label: "[integration]",
    also: async () => {
      const dev = await gpuDevice();
      return dev.kind === "webgpu" ? null : `gpuDevice() chose ${String(dev)} although the probe passed`;
    },
  });
}

/** `getDevice(x)` as a string (`"CPUDevice()"`, `"GPUDevice(webgpu:0)"`) for readable assertions. */
export function deviceName(x: unknown): string {
  return String(getDevice(x));
}

/**
 * `gpu(loader)` typed as what it is at run time: a DeviceIterator (an async iterable of device batches).
 *
 * WHY the cast: @flux/devices' `Moved<T>` maps only Iterator/AsyncIterator types to `DeviceIterator`, so
 * for a DataLoader (recognised at run time by its `Symbol.for("flux.dataloader")` brand) the declared type
 * is `Promise<DataLoader>` while the value is a DeviceIterator (reported to the devices owner; this helper
 * keeps that type bug out of every test).
 *
 * @example
 * for await (const [x, y] of gpuBatches(loader)) { ... } // x, y on the GPU
 */
export function gpuBatches(loader: DataLoader): AsyncIterable<unknown> {
  const moved: unknown = gpu(loader);
  return moved as AsyncIterable<unknown>;
}
