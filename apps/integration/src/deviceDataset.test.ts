// A DataLoader over a data set that already lives on the GPU (`DataLoader(await gpu(X))`) slices
// its batches on the device: nothing is read back to the host and no batch is uploaded, through the loader
// itself and through `gpu(loader)`; and epochs of training over it leak nothing.
import { DataLoader } from "@flux/data";
import { getDevice, gpu, gpuDevice } from "@flux/devices";
import {
  type Backend,
  type Tensor,
  type TypedArray,
  getBackend,
  memory,
  randn,
  rng,
  setDefaultRng,
  sum,
} from "@flux/kernels";
import { Chain, Dense, mse, relu } from "@flux/layers";
import { Adam, setup, train } from "@flux/optim";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gpuBatches, webgpuForTests } from "./fixtures.js";

const gpuOk = await webgpuForTests();

/** Watches the GPU backend's host traffic: every `read`/`readSync` (device → host) and `upload` (host → device). */
function watchHostTraffic(backend: Backend) {
  const reads = vi.spyOn(backend, "read");
  const readSync = backend.readSync === undefined ? null : vi.spyOn(backend as Required<Backend>, "readSync");
  const uploads = vi.spyOn(backend, "upload");
  return {
    reads: () => reads.mock.calls.length + (readSync?.mock.calls.length ?? 0),
    uploadSizes: () => uploads.mock.calls.map(([data]) => (data as TypedArray).byteLength),
    reset: () => {
      for (const spy of [reads, readSync, uploads]) spy?.mockClear();
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.skipIf(!gpuOk)("DataLoader over a data set on the GPU", () => {
  it("slices on the device: no reads back, no batch uploads, dataset kept, memory flat over 3 epochs", async () => {
    const started = performance.now();
    const dev = await gpuDevice();
    setDefaultRng(rng(51));
    const [X, Y] = (await gpu([randn([32, 512]), randn([4, 512])])) as [Tensor, Tensor];
    expect(getDevice([X, Y])).toBe(dev);
    const loader = DataLoader([X, Y], { batchsize: 64, shuffle: true, rng: rng(52) });
    const indexListBytes = 64 * 4; // a shuffled slice may upload its 64 i32 column indices

    const traffic = watchHostTraffic(await getBackend("webgpu:0"));
    // Control: the watcher does see a real upload and a real read (else "0 reads" would prove nothing).
    const host = randn([3]);
    const probe = (await gpu(host)) as Tensor;
    await probe.data();
    probe.dispose();
    host.dispose();
    expect([traffic.reads(), traffic.uploadSizes()]).toEqual([1, [12]]);
    traffic.reset();
    const gpuBefore = memory("webgpu:0");
    const cpuBefore = memory("cpu");
    const sums: Tensor[] = [];
    const perEpoch: { gpuTensors: number; gpuBytes: number }[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      // Epochs 0 and 2: the loader itself (sync); epoch 1: through gpu(loader), which must not copy either.
      const batches: Iterable<unknown> | AsyncIterable<unknown> = epoch === 1 ? gpuBatches(loader) : loader;
      let n = 0;
      for await (const batch of batches) {
        const [bx, by] = batch as [Tensor, Tensor];
        expect(String(bx.device)).toBe("webgpu:0");
        expect(String(by.device)).toBe("webgpu:0");
        expect(bx.shape).toEqual([32, 64]);
        sums.push(sum(bx)); // use the batch on the device (kept: read after the epochs)
        if (epoch !== 1) {
          bx.dispose(); // the plain loader hands batches over; gpu(loader) frees them itself
          by.dispose();
        }
        n++;
      }
      expect(n).toBe(8);
      const g = memory("webgpu:0");
      perEpoch.push({ gpuTensors: g.liveTensors - sums.length, gpuBytes: g.liveBytes - sums.length * 4 });
    }
    const reads = traffic.reads();
    const uploadSizes = traffic.uploadSizes();
    vi.restoreAllMocks();

    // Shuffled slices may upload their index list, never the batch itself (x is 8192 bytes, y 1024).
    console.log(
      `[integration] GPU-resident loader, 3 epochs × 8 batches: ${reads} reads, ${uploadSizes.length} uploads of ` +
        `at most ${Math.max(0, ...uploadSizes)} bytes; ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(reads).toBe(0);
    expect(uploadSizes.length).toBeLessThanOrEqual(3 * 8 * 2);
    for (const bytes of uploadSizes) expect(bytes).toBeLessThanOrEqual(indexListBytes);
    expect(memory("cpu").liveTensors).toBe(cpuBefore.liveTensors); // no host copies made
    for (const e of perEpoch)
      expect(e).toEqual({ gpuTensors: gpuBefore.liveTensors, gpuBytes: gpuBefore.liveBytes });
    expect(X.isDisposed || Y.isDisposed).toBe(false);

    // The device sums equal the same slices summed on the host: the slices held the right columns.
    const total = (await Promise.all(sums.map((s) => s.item()))).reduce((a, b) => a + b, 0);
    const hostTotal = Array.from(await X.data()).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(3 * hostTotal, 2); // each epoch visits every column once
    for (const s of sums) s.dispose();
  });

  it("trains over it for 3 epochs through gpu(loader) with memory() flat", async () => {
    const started = performance.now();
    setDefaultRng(rng(61));
    const [X, Y] = (await gpu([randn([32, 512]), randn([4, 512])])) as [Tensor, Tensor];
    const model = await gpu(Chain(Dense(32, 16, relu), Dense(16, 4)));
    const state = setup(Adam(1e-3), model);
    const loader = DataLoader([X, Y], { batchsize: 64, shuffle: true, rng: rng(62) });
    const snapshot = () => {
      const [g, c] = [memory("webgpu:0"), memory("cpu")];
      return { gpuTensors: g.liveTensors, gpuBytes: g.liveBytes, cpuTensors: c.liveTensors };
    };
    const before = snapshot();
    const losses: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      await train((m, x: Tensor, y: Tensor) => mse(m.forward(x), y), model, gpuBatches(loader), state, {
        onStep: ({ loss }) => void losses.push(loss),
      });
      expect(snapshot()).toEqual(before);
    }
    console.log(
      `[integration] 3 epochs on a GPU-resident loader: loss ${losses[0]!.toFixed(4)} → ${losses.at(-1)!.toFixed(4)}; ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(losses).toHaveLength(24);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
    expect(X.isDisposed || Y.isDisposed).toBe(false);
  });
});
