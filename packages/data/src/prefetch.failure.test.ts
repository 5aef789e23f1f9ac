// A device function that throws part way through an epoch (out of device memory, a lost device): the
// batch the loader sliced for that upload must be freed too, not only the batches already moved.
import { cast, memory, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { DataLoader } from "./dataLoader.js";
import { prefetchToDevice } from "./prefetch.js";

const host = () =>
  tensor(
    Float32Array.from({ length: 40 }, (_, i) => i),
    [4, 10],
  );
const toF64 = (x: unknown): unknown => cast(x as Tensor, "f64");

describe("prefetchToDevice when the device function throws", () => {
  for (const failAt of [1, 3])
    for (const prefetch of [0, 1, 2])
      it(`frees every tensor it made (failing upload ${failAt}, prefetch ${prefetch})`, async () => {
        const data = host();
        const before = memory().liveTensors;
        let calls = 0;
        const dev = (x: unknown) => {
          if (++calls === failAt) throw new Error("device lost");
          return toF64(x);
        };
        const loop = async () => {
          for await (const _ of prefetchToDevice(dev, DataLoader(data, { batchsize: 2 }), { prefetch })) {
            // consume
          }
        };
        await expect(loop()).rejects.toThrow("device lost");
        expect(memory().liveTensors).toBe(before);
        expect(data.isDisposed).toBe(false);
      });
});
