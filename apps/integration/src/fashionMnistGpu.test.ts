// Fashion-MNIST, WebGPU half: the Fashion-MNIST MLP trained on the GPU follows the CPU run step by step (same
// initial weights, moved with `await gpu(model)`; same batches, in order), and a model saved from the GPU
// loads on the CPU with the same weights and the same predictions.
import { DataLoader } from "@flux/data";
import { cpu, getDevice, gpu, gpuDevice } from "@flux/devices";
import { fleaves } from "@flux/functors";
import { type Tensor, isTensor, memory, onecold, tidy } from "@flux/kernels";
import { loadBytes, logitcrossentropy, saveBytes } from "@flux/layers";
import { Adam, setup, train } from "@flux/optim";
import { describe, expect, it } from "vitest";
import { type Mlp, buildMlp, gpuBatches, haveFashionMnist, loadSplit, webgpuForTests } from "./fixtures.js";

const gpuOk = await webgpuForTests();

const loss = (m: Mlp, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);

/** Trains `model` one pass over `batches` with Adam(1e-3) from a fresh state; returns the per-step losses. */
async function trainLosses(
  model: Mlp,
  batches: Iterable<unknown> | AsyncIterable<unknown>,
): Promise<number[]> {
  const losses: number[] = [];
  const state = setup(Adam(1e-3), model);
  await train(loss, model, batches, state, { onStep: ({ loss }) => void losses.push(loss) });
  return losses;
}

/** Every tensor leaf of a model, read to the host in `fleaves` order. */
async function weightsOf(model: unknown): Promise<Float32Array[]> {
  const tensors = fleaves(model).filter(isTensor) as Tensor[];
  return Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}

describe.skipIf(!gpuOk || !haveFashionMnist)("Fashion-MNIST MLP on WebGPU (real data)", () => {
  it("matches the CPU run step by step on a 1,024-image subset (32 steps of 32)", async () => {
    const started = performance.now();
    const data = await loadSplit("train", 1024);
    const dev = await gpuDevice();
    const cpuModel = buildMlp(7);
    const gpuModel = await gpu(cpuModel); // a copy: training one leaves the other alone
    expect(getDevice(gpuModel)).toBe(dev);

    // One loader, no shuffle: both runs see the same batches in the same order.
    const loader = DataLoader([data.x, data.y], { batchsize: 32, buffer: true });
    const cpuLosses = await trainLosses(cpuModel, loader);
    const cpuSeconds = (performance.now() - started) / 1000;
    const gpuLosses = await trainLosses(gpuModel, gpuBatches(loader)); // DeviceIterator: batches uploaded
    const seconds = (performance.now() - started) / 1000;

    expect(cpuLosses).toHaveLength(32);
    expect(gpuLosses).toHaveLength(32);
    const worst = maxRelDiff(gpuLosses, cpuLosses);
    const [cpuW, gpuW] = await Promise.all([weightsOf(cpuModel), weightsOf(gpuModel)]);
    const worstWeight = Math.max(...cpuW.map((w, k) => maxRelDiff(gpuW[k]!, w)));
    console.log(
      `[integration] WebGPU vs CPU, 32 Adam steps: loss ${cpuLosses[0]!.toFixed(4)} → ${cpuLosses[31]!.toFixed(4)} ` +
        `(CPU), max relative loss difference ${worst.toExponential(2)}, max weight difference ${worstWeight.toExponential(2)}; ` +
        `CPU ${cpuSeconds.toFixed(1)} s, GPU ${(seconds - cpuSeconds).toFixed(1)} s`,
    );
    expect(cpuLosses[31]!).toBeLessThan(cpuLosses[0]! * 0.6); // it really trained
    // Measured on SwiftShader: losses ~1e-7 apart (f32 summation order only). Weights drift up to ~3e-5:
    // Adam's step m/√v is scale-free, so a weight whose gradient is near zero moves by up to eta (1e-3)
    // per step in a direction set by rounding noise. Below one learning-rate step means no real divergence.
    expect(worst).toBeLessThan(1e-5);
    expect(worstWeight).toBeLessThan(1e-3);
    for (const t of fleaves(gpuModel).filter(isTensor) as Tensor[]) expect(String(t.device)).toBe("webgpu:0");
  }, 300_000);

  it("saves on WebGPU (saveBytes) and loads on the CPU with identical weights and predictions", async () => {
    const started = performance.now();
    const data = await loadSplit("train", 320);
    const test = await loadSplit("test", 1000);
    const gpuModel = await gpu(buildMlp(11));
    // A few steps so the file holds trained weights, not just the initialisation.
    await trainLosses(gpuModel, gpuBatches(DataLoader([data.x, data.y], { batchsize: 64, buffer: true })));

    const bytes = await saveBytes(gpuModel);
    const cpuModel = loadBytes(bytes, buildMlp(12)); // a different init, overwritten by the file
    expect(String(getDevice(cpuModel))).toBe("CPUDevice()");

    // Bit-identical weights: the file round trip adds nothing to what the GPU held.
    const [fromGpu, loaded] = await Promise.all([weightsOf(await cpu(gpuModel)), weightsOf(cpuModel)]);
    expect(loaded).toHaveLength(4);
    for (let k = 0; k < loaded.length; k++) expect(loaded[k]).toEqual(fromGpu[k]);

    const xGpu = await gpu(test.x);
    const gpuLogits = tidy(() => gpuModel.forward(xGpu));
    const gpuClasses = tidy(() => onecold(gpuLogits));
    const cpuLogits = tidy(() => cpuModel.forward(test.x));
    const cpuClasses = tidy(() => onecold(cpuLogits));
    const [gl, cl, gc, cc] = await Promise.all(
      [gpuLogits, cpuLogits, gpuClasses, cpuClasses].map((t) => t.data()),
    );
    const worst = maxRelDiff(gl!, cl!);
    console.log(
      `[integration] saveBytes on WebGPU → loadBytes on CPU: ${bytes.length} bytes, max logit difference ` +
        `${worst.toExponential(2)} over 1000 test images; ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(worst).toBeLessThan(1e-4);
    expect(Array.from(cc!)).toEqual(Array.from(gc!));
    for (const t of [xGpu, gpuLogits, gpuClasses, cpuLogits, cpuClasses]) t.dispose();
    expect(memory("webgpu:0").liveTensors).toBeGreaterThan(0); // the model is still there
  }, 300_000);
});
