import { DisposedTensorError, type Tensor, tensor } from "@flux/kernels";
import { beforeAll, describe, expect, it } from "vitest";
import { DEVICE_ITERATOR, DeviceIterator } from "./deviceIterator.js";
import { registerGpuBackend } from "./gpuBackends.js";
import { gpuDevice } from "./gpuDevice.js";
import { gpu } from "./gpuCpu.js";
import { DATALOADER, isLoader } from "./isLoader.js";
import { fakeGpuProvider } from "./testBackends.js";

beforeAll(() => {
  registerGpuBackend("itgpu", fakeGpuProvider("itgpu", 1));
  process.env.FLUX_GPU_BACKEND = "itgpu";
});

/** A tiny loader: batches of columns of X and Y, with the DataLoader brand. */
class Loader {
  constructor(readonly batches: { x: Tensor; y: Tensor }[]) {}
  get length(): number {
    return this.batches.length;
  }
  *[Symbol.iterator]() {
    yield* this.batches;
  }
}
Object.defineProperty(Loader.prototype, DATALOADER, { value: true });

const makeLoader = () =>
  new Loader(
    [0, 1, 2].map((k) => ({ x: tensor([k, k + 0.5], [2, 1]), y: tensor([k], [1], { dtype: "i32" }) })),
  );

describe("isLoader", () => {
  it("accepts branded iterables and iterators, not arrays, maps, typed arrays or plain iterables", () => {
    expect(isLoader(makeLoader())).toBe(true);
    expect(isLoader([1, 2][Symbol.iterator]())).toBe(true);
    expect(isLoader((async function* () {})())).toBe(true);
    expect(isLoader([1])).toBe(false);
    expect(isLoader(new Map())).toBe(false);
    expect(isLoader(new Float32Array(1))).toBe(false);
    expect(isLoader({ *[Symbol.iterator]() {} })).toBe(false);
  });
});

describe("gpu(loader)", () => {
  it("gives a DeviceIterator that moves each batch and frees the previous one when the next is requested", async () => {
    const loader = makeLoader();
    const it = gpu(loader) as unknown as DeviceIterator<{ x: Tensor; y: Tensor }>;
    expect(it).toBeInstanceOf(DeviceIterator);
    expect(it.length).toBe(3);
    const dev = await gpuDevice();
    const seen: { x: Tensor; y: Tensor }[] = [];
    for await (const b of it) {
      expect(b.x.device).toBe(dev.device);
      expect(b.x.isDisposed).toBe(false);
      if (seen.length > 0) expect(seen[seen.length - 1]!.x.isDisposed).toBe(true);
      seen.push(b);
    }
    expect(seen.map((b) => b.y.dtype)).toEqual(["i32", "i32", "i32"]);
    expect(seen[2]!.x.isDisposed).toBe(true);
    await expect(seen[0]!.x.data()).rejects.toBeInstanceOf(DisposedTensorError);
    // The source batches are untouched.
    expect(loader.batches.every((b) => !b.x.isDisposed)).toBe(true);
    expect(await loader.batches[1]!.x.array()).toEqual([[1], [1.5]]);
  });

  it("never frees batches that already lived on the device", async () => {
    const dev = await gpuDevice();
    const onDev = await dev(makeLoader().batches);
    const seen: Tensor[] = [];
    for await (const b of DeviceIterator(dev, onDev)) seen.push(b.x);
    expect(seen[0]).toBe(onDev[0]!.x);
    expect(seen.every((t) => !t.isDisposed)).toBe(true);
  });

  it("frees the last batch at the normal end of the loop", async () => {
    const dev = await gpuDevice();
    const seen: Tensor[] = [];
    for await (const b of DeviceIterator(dev, makeLoader())) seen.push(b.x);
    expect(seen).toHaveLength(3);
    expect(seen.every((t) => t.isDisposed)).toBe(true);
  });

  it("frees the batch a loop breaks out with, and iterates again per epoch", async () => {
    const dev = await gpuDevice();
    const loader = makeLoader();
    const it = dev(loader[Symbol.iterator]()) as unknown as DeviceIterator<{ x: Tensor; y: Tensor }>;
    let kept: { x: Tensor; y: Tensor } | null = null;
    for await (const b of it) {
      kept = b;
      break;
    }
    expect(kept?.x.isDisposed).toBe(true);
    expect(kept?.y.isDisposed).toBe(true);
    await expect(kept!.x.data()).rejects.toBeInstanceOf(DisposedTensorError);
    expect(loader.batches.every((b) => !b.x.isDisposed)).toBe(true);
    const again = DeviceIterator(dev, makeLoader());
    let n = 0;
    for (let epoch = 0; epoch < 2; epoch++) for await (const _ of again) n++;
    expect(n).toBe(6);
  });

  it("frees the current batch when a function returns from inside the loop", async () => {
    const dev = await gpuDevice();
    const firstBatch = async (): Promise<Tensor> => {
      for await (const b of DeviceIterator(dev, makeLoader())) return b.x;
      throw new Error("the loader was empty");
    };
    expect((await firstBatch()).isDisposed).toBe(true);
  });

  it("frees the current batch when the loop body throws, and the error still reaches the caller", async () => {
    const dev = await gpuDevice();
    const seen: Tensor[] = [];
    const boom = new Error("boom");
    await expect(
      (async () => {
        for await (const b of DeviceIterator(dev, makeLoader())) {
          seen.push(b.x);
          if (seen.length === 2) throw boom;
        }
      })(),
    ).rejects.toBe(boom);
    expect(seen).toHaveLength(2);
    expect(seen.every((t) => t.isDisposed)).toBe(true);
  });

  it("closes the source when the loop leaves early", async () => {
    const dev = await gpuDevice();
    let closed = false;
    const source = (function* () {
      try {
        yield tensor([1], [1]);
        yield tensor([2], [1]);
      } finally {
        closed = true;
      }
    })();
    for await (const _ of DeviceIterator(dev, source)) break;
    expect(closed).toBe(true);
  });

  it("never frees a batch that already lived on the device, also on break or throw", async () => {
    const dev = await gpuDevice();
    const onDev = await dev(makeLoader().batches);
    for await (const b of DeviceIterator(dev, onDev)) {
      expect(b.x).toBe(onDev[0]!.x);
      break;
    }
    await expect(
      (async () => {
        for await (const _ of DeviceIterator(dev, onDev)) throw new Error("stop");
      })(),
    ).rejects.toThrow("stop");
    expect(onDev.every((b) => !b.x.isDisposed && !b.y.isDisposed)).toBe(true);
  });

  it("lets a source with the DEVICE_ITERATOR hook move itself", async () => {
    const dev = await gpuDevice();
    const src = {
      [DATALOADER]: true,
      *[Symbol.iterator]() {
        yield 1;
      },
      [DEVICE_ITERATOR](mover: unknown) {
        expect(mover).toBe(dev);
        return (async function* () {
          yield "own";
        })();
      },
    };
    const out: unknown[] = [];
    for await (const b of gpu(src) as unknown as DeviceIterator) out.push(b);
    expect(out).toEqual(["own"]);
  });

  it("passes an early exit on to a source with the DEVICE_ITERATOR hook, which frees its own batches", async () => {
    let closed = false;
    const src = {
      [DATALOADER]: true,
      *[Symbol.iterator]() {},
      [DEVICE_ITERATOR]() {
        return (async function* () {
          try {
            yield "first";
            yield "second";
          } finally {
            closed = true;
          }
        })();
      },
    };
    for await (const _ of gpu(src) as unknown as DeviceIterator) break;
    expect(closed).toBe(true);
  });

  it("rejects a source that is not iterable", () => {
    expect(() => DeviceIterator(Promise.resolve(null as never), 3 as never)).toThrow(/iterable/);
  });
});
