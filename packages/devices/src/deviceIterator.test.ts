import { DisposedTensorError, type Tensor, tensor } from "@flux/kernels";
import { beforeAll, describe, expect, it } from "vitest";
import { DEVICE_ITERATOR, DeviceIterator } from "./deviceIterator";
import { registerGpuBackend } from "./gpuBackends";
import { gpuDevice } from "./gpuDevice";
import { gpu } from "./gpuCpu";
import { DATALOADER, isLoader } from "./isLoader";
import { fakeGpuProvider } from "./testBackends";

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
    for await (const b of new DeviceIterator(dev, onDev)) seen.push(b.x);
    expect(seen[0]).toBe(onDev[0]!.x);
    expect(seen.every((t) => !t.isDisposed)).toBe(true);
  });

  it("keeps the batch a loop breaks out with, and iterates again per epoch", async () => {
    const dev = await gpuDevice();
    const it = dev(makeLoader()[Symbol.iterator]()) as unknown as DeviceIterator<{ x: Tensor }>;
    let kept: Tensor | null = null;
    for await (const b of it) {
      kept = b.x;
      break;
    }
    expect(kept?.isDisposed).toBe(false);
    const loader = new DeviceIterator(dev, makeLoader());
    let n = 0;
    for (let epoch = 0; epoch < 2; epoch++) for await (const _ of loader) n++;
    expect(n).toBe(6);
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

  it("rejects a source that is not iterable", () => {
    expect(() => new DeviceIterator(Promise.resolve(null as never), 3 as never)).toThrow(/iterable/);
  });
});
