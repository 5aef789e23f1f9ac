// A model and its optimiser state travel CPU → GPU → CPU with their ties, `getDevice`
// answers for both, a DataLoader moved with `gpu(loader)` yields device batches and frees each one when the
// next is requested, and three epochs of GPU training through it leave `memory()` where it started.
import { DataLoader } from "@flux/data";
import { cpu, cpuDevice, getDevice, getDeviceType, gpu, gpuDevice } from "@flux/devices";
import { fleaves } from "@flux/functors";
import {
  DisposedTensorError,
  type Tensor,
  add,
  isTensor,
  memory,
  randn,
  rng,
  setDefaultRng,
} from "@flux/kernels";
import { Chain, Dense, glorotUniform, mse, relu } from "@flux/layers";
import { Adam, Leaf, type StateTree, setup, train } from "@flux/optim";
import { describe, expect, it } from "vitest";
import { gpuBatches, webgpuForTests } from "./fixtures.js";

const gpuOk = await webgpuForTests();

/** A small model whose middle layers share one weight matrix (a tie), and data for it. */
function tiedProblem(seed: number) {
  setDefaultRng(rng(seed));
  const shared = glorotUniform([8, 8]);
  const model = Chain(Dense(6, 8, relu), Dense(shared, relu), Dense(shared, relu), Dense(8, 3));
  const x = randn([6, 96]);
  const y = randn([3, 96]);
  return { model, x, y };
}
type TiedModel = ReturnType<typeof tiedProblem>["model"];

const loss = (m: TiedModel, x: Tensor, y: Tensor) => mse(m.forward(x), y);

// Chain's layers as an array (they are: tiedProblem passes them positionally).
const layersOf = (m: TiedModel) => m.layers as readonly InstanceType<typeof Dense>[];
// The state tree mirrors the model (plain objects for layers): state.layers[k].weight is a Leaf.
const leafAt = (s: StateTree, k: number, field: "weight" | "bias") =>
  (s as { layers: Record<string, Leaf>[] }).layers[k]![field];

async function valuesOf(tree: unknown): Promise<Float32Array[]> {
  const tensors = fleaves(tree).filter(isTensor) as Tensor[];
  return Promise.all(tensors.map(async (t) => Float32Array.from(await t.data())));
}

function expectClose(got: Float32Array[], want: Float32Array[], tol: number): void {
  expect(got).toHaveLength(want.length);
  for (let k = 0; k < want.length; k++) {
    for (let i = 0; i < want[k]!.length; i++) {
      const diff = Math.abs(got[k]![i]! - want[k]![i]!);
      if (diff > tol * (1 + Math.abs(want[k]![i]!)))
        expect.fail(`tensor ${k}, element ${i}: ${got[k]![i]} vs ${want[k]![i]}`);
    }
  }
}

describe.skipIf(!gpuOk)("model + optimiser state across devices", () => {
  it("moves CPU → GPU → CPU with ties intact, getDevice answers, and training agrees on both", async () => {
    const started = performance.now();
    const dev = await gpuDevice();
    const { model, x, y } = tiedProblem(21);
    const state = setup(Adam(1e-2), model);
    await train(loss, model, [[x, y]], state); // non-zero Adam moments before the move
    // The tie as optimiser state sees it: one Leaf for both places.
    expect(leafAt(state, 1, "weight")).toBe(leafAt(state, 2, "weight"));

    const gm = await gpu(model);
    const gs = await gpu(state);
    expect(getDevice(gm)).toBe(dev);
    expect(getDevice(gs)).toBe(dev);
    expect(getDeviceType(gm)).toBe("webgpu");
    expect(getDevice(model)).toBe(cpuDevice()); // the originals stay where they were
    expect(layersOf(gm)[1]!.weight).toBe(layersOf(gm)[2]!.weight);
    expect(leafAt(gs, 1, "weight")).toBe(leafAt(gs, 2, "weight"));
    expect(leafAt(gs, 1, "weight")).toBeInstanceOf(Leaf);
    expectClose(await valuesOf(gs), await valuesOf(state), 0);

    // One more step on each side from the same point: the GPU copy follows the CPU original.
    const [gx, gy] = await gpu([x, y]);
    await train(loss, gm, [[gx, gy]], gs);
    await train(loss, model, [[x, y]], state);
    expect(layersOf(gm)[1]!.weight).toBe(layersOf(gm)[2]!.weight); // in-place updates kept the tie

    const back = await cpu(gm);
    const backState = await cpu(gs);
    expect(getDevice(back)).toBe(cpuDevice());
    expect(getDevice(backState)).toBe(cpuDevice());
    expect(getDeviceType(backState)).toBe("cpu");
    expect(layersOf(back)[1]!.weight).toBe(layersOf(back)[2]!.weight);
    expect(leafAt(backState, 1, "weight")).toBe(leafAt(backState, 2, "weight"));
    expect(fleaves(back).filter(isTensor)).toHaveLength(fleaves(model).filter(isTensor).length);
    expectClose(await valuesOf(back), await valuesOf(model), 1e-5);
    expectClose(await valuesOf(backState), await valuesOf(state), 1e-5);

    // The state that came back still drives training on the CPU.
    await train(loss, back, [[x, y]], backState);
    await train(loss, model, [[x, y]], state);
    expectClose(await valuesOf(back), await valuesOf(model), 1e-5);
    console.log(
      `[integration] tied model + Adam state CPU → GPU → CPU: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  });
});

describe.skipIf(!gpuOk)("gpu(loader): device batches", () => {
  it("yields batches on the device and frees the previous one when the next is requested", async () => {
    const dev = await gpuDevice();
    setDefaultRng(rng(31));
    const x = randn([6, 100]);
    const y = randn([3, 100]);
    const loader = DataLoader([x, y], { batchsize: 25, shuffle: true, rng: rng(32) });
    const seen: Tensor[][] = [];
    for await (const batch of gpuBatches(loader)) {
      const [bx, by] = batch as [Tensor, Tensor];
      expect(getDevice(batch)).toBe(dev);
      expect(bx.shape).toEqual([6, 25]);
      expect(by.shape).toEqual([3, 25]);
      const prev = seen.at(-1);
      if (prev !== undefined) {
        expect(prev[0]!.isDisposed).toBe(true);
        expect(() => add(prev[0]!, 1)).toThrow(DisposedTensorError);
        await expect(prev[1]!.data()).rejects.toThrow(DisposedTensorError);
      }
      seen.push([bx, by]);
    }
    expect(seen).toHaveLength(4);
    expect(seen.flat().every((t) => t.isDisposed)).toBe(true); // the last one too, when the loop ended
    expect(x.isDisposed || y.isDisposed).toBe(false); // never the dataset
  });

  it("keeps memory() flat across 3 epochs of GPU training through gpu(loader)", async () => {
    const started = performance.now();
    const { model, x, y } = tiedProblem(41);
    const gm = await gpu(model);
    const gs = setup(Adam(1e-3), gm);
    const loader = DataLoader([x, y], { batchsize: 16, shuffle: true, rng: rng(42) });
    const snapshot = () => {
      const [g, c] = [memory("webgpu:0"), memory("cpu")];
      return {
        gpuTensors: g.liveTensors,
        gpuBytes: g.liveBytes,
        cpuTensors: c.liveTensors,
        cpuBytes: c.liveBytes,
      };
    };
    const before = snapshot();
    const after: ReturnType<typeof snapshot>[] = [];
    let steps = 0;
    for (let epoch = 0; epoch < 3; epoch++) {
      await train(loss, gm, gpuBatches(loader), gs, { onStep: () => void steps++ });
      after.push(snapshot());
    }
    console.log(
      `[integration] 3 GPU epochs through gpu(loader) (${steps} steps): memory before ${JSON.stringify(before)}, ` +
        `after each epoch ${JSON.stringify(after)}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(steps).toBe(18);
    for (const a of after) expect(a).toEqual(before);
  });
});
