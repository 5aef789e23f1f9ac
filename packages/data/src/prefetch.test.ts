import { DisposedTensorError, memory, rng, sum, type Tensor, tensor, toDevice } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { webgpuAvailableForTests } from "../../kernels/src/webgpu/testing.js";
import { deviceFn } from "../testing/devices.js";
import { DataLoader } from "./dataLoader.js";
import { prefetchToDevice } from "./prefetch.js";
import { DEVICE_ITERATOR } from "./symbols.js";

const webgpuOk = await webgpuAvailableForTests();
const devices = ["cpu2:0", "webgpu:0"];

const host = (n = 10) =>
  tensor(
    Float32Array.from({ length: 2 * n }, (_, i) => i),
    [2, n],
  );

describe.each(devices)("device iterator on %s (MLDataDevices' DeviceIterator cases)", (device) => {
  const available = device !== "webgpu:0" || webgpuOk;
  const test = it.skipIf(!available);

  test("yields items on the device, in order, and frees the previous one when the next is requested", async () => {
    const dev = deviceFn(device);
    const items = [host(3), host(3), host(3)];
    const seen: Tensor[] = [];
    for await (const x of prefetchToDevice(dev, items, { prefetch: 1 })) {
      const t = x as Tensor;
      expect(String(t.device)).toBe(device);
      expect(Array.from(await t.data())).toEqual(Array.from(items[seen.length]!.dataSync()));
      if (seen.length > 0) {
        expect(seen.at(-1)!.isDisposed).toBe(true);
        await expect(seen.at(-1)!.data()).rejects.toThrow(DisposedTensorError);
      }
      seen.push(t);
    }
    expect(seen.length).toBe(3);
    expect(seen.every((t) => t.isDisposed)).toBe(true);
    expect(items.some((t) => t.isDisposed)).toBe(false); // host sources are the caller's
  });

  test("never frees items that already lived on the device", async () => {
    const dev = deviceFn(device);
    const x = await toDevice(host(4), device);
    const out: unknown[] = [];
    for await (const b of prefetchToDevice(dev, [x, { a: x }, [x]])) out.push(b);
    expect(dev.transfers).toBe(0);
    expect(out[0]).toBe(x);
    expect(x.isDisposed).toBe(false);
    expect(Array.from(await x.data()).length).toBe(8);
  });

  test("dev(loader) through DEVICE_ITERATOR: host batches freed after upload, memory flat over 3 epochs", async () => {
    const dev = deviceFn(device);
    const X = host(50);
    const Y = Int32Array.from({ length: 50 }, (_, i) => i % 3);
    const loader = DataLoader({ x: X, y: Y }, { batchsize: 8, shuffle: true, rng: rng(1) });
    const onDevice = memory(device).liveTensors;
    const epoch = async () => {
      let n = 0;
      for await (const b of loader[DEVICE_ITERATOR](dev, { prefetch: 2 })) {
        const { x, y } = b as { x: Tensor; y: Int32Array };
        expect(String(x.device)).toBe(device);
        expect(y).toBeInstanceOf(Int32Array);
        sum(x).dispose();
        n += x.shape[1]!;
      }
      return n;
    };
    expect(await epoch()).toBe(50);
    const after1 = { all: memory(), dev: memory(device) };
    for (let e = 0; e < 2; e++) await epoch();
    expect(memory().liveTensors).toBe(after1.all.liveTensors);
    expect(memory().liveBytes).toBe(after1.all.liveBytes);
    expect(memory(device).liveTensors).toBe(onDevice);
    expect(X.isDisposed).toBe(false);
  });

  test("a whole-dataset-on-device loader slices on the device without transfers, and frees its slices", async () => {
    const dev = deviceFn(device);
    const X = await toDevice(host(20), device);
    const loader = DataLoader(X, { batchsize: 6 });
    const live = memory(device).liveTensors;
    const firsts: number[] = [];
    for (let e = 0; e < 3; e++) {
      for await (const b of prefetchToDevice(dev, loader)) {
        const t = b as Tensor;
        expect(String(t.device)).toBe(device);
        firsts.push((await t.data())[0]!);
      }
      expect(memory(device).liveTensors).toBe(live);
    }
    expect(dev.transfers).toBe(0);
    expect(firsts.slice(0, 4)).toEqual([0, 12, 24, 36]);
    expect(X.isDisposed).toBe(false);
  });

  test("breaking out of the loop frees the current and the prefetched batches", async () => {
    const dev = deviceFn(device);
    const loader = DataLoader(host(40), { batchsize: 4 });
    const before = memory(device).liveTensors;
    let held: Tensor | null = null;
    for await (const b of prefetchToDevice(dev, loader, { prefetch: 2 })) {
      held = b as Tensor;
      break;
    }
    expect(held?.isDisposed).toBe(true);
    expect(memory(device).liveTensors).toBe(before);
  });
});

describe("prefetchToDevice", () => {
  it("starts moving batch k+1 before the caller asks for it (prefetch 1) and not with prefetch 0", async () => {
    const log: string[] = [];
    const dev = async (x: unknown) => {
      log.push(`move ${x}`);
      return x;
    };
    for (const prefetch of [1, 0]) {
      log.length = 0;
      for await (const x of prefetchToDevice(dev, [1, 2, 3], { prefetch })) {
        await new Promise((r) => setTimeout(r, 1));
        log.push(`use ${x}`);
      }
      if (prefetch === 1) expect(log.slice(0, 3)).toEqual(["move 1", "move 2", "use 1"]);
      else expect(log).toEqual(["move 1", "use 1", "move 2", "use 2", "move 3", "use 3"]);
    }
  });

  it("rejects a bad prefetch depth", () => {
    expect(() => prefetchToDevice(async (x) => x, [], { prefetch: -1 })).toThrow(/prefetch/);
  });
});
