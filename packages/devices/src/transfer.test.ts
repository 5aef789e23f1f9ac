import { isTensor, memory, rng, type Tensor, tensor, zeros } from "@flux/kernels";
import { beforeAll, describe, expect, it } from "vitest";
import { cpuDevice } from "./cpuDevice.js";
import { DeviceDTypeError } from "./errors.js";
import { getDevice } from "./getDevice.js";
import { gpuDevice } from "./gpuDevice.js";
import { registerGpuBackend } from "./gpuBackends.js";
import { fakeGpuProvider } from "./testBackends.js";

beforeAll(() => {
  process.env.FLUX_SILENCE_WARN_NO_GPU = "1";
  // Select the fake by preference: on a machine with a working WebGPU (CI's SwiftShader), automatic
  // selection would otherwise pick webgpu first.
  process.env.FLUX_GPU_BACKEND = "tfake";
  registerGpuBackend("tfake", fakeGpuProvider("tfake", 1));
});

describe("cpuDevice transfers", () => {
  it("returns a tensor already on the CPU as the same object and keeps dtypes", async () => {
    const x = tensor([1, 2], [2], { dtype: "f64" });
    expect(await cpuDevice()(x)).toBe(x);
    const m = await cpuDevice()({ x, n: 3 });
    expect(m.x).toBe(x);
    expect(m.n).toBe(3);
  });

  it("converts only float tensors with an explicit eltype", async () => {
    const f = tensor([1.5, 2.5], [2], { dtype: "f32" });
    const i = tensor([1, 2], [2], { dtype: "i32" });
    const out = await cpuDevice("f64")({ f, i, s: 1.5 });
    expect(out.f.dtype).toBe("f64");
    expect(Array.from(await out.f.data())).toEqual([1.5, 2.5]);
    expect(out.i).toBe(i);
    expect(out.s).toBe(1.5);
  });
});

describe("transfers to a GPU device (a CPU-backed fake adapter)", () => {
  it("moves every tensor once, keeps ties and passes other leaves through", async () => {
    const dev = await gpuDevice();
    expect(dev.kind).toBe("tfake");
    const w = tensor([1, 2, 3, 4], [2, 2]);
    const fn = (v: number) => v;
    const r = rng(1);
    const model = {
      layers: [
        { w, b: zeros([2]) },
        { w, act: fn },
      ],
      name: "m",
      r,
      mask: new Uint8Array([1, 0]),
    };
    const moved = await dev(model);
    expect(moved.layers[0]!.w).toBe(moved.layers[1]!.w);
    expect(moved.layers[0]!.w).not.toBe(w);
    expect(moved.layers[0]!.w.device).toBe(dev.device);
    expect(moved.layers[1]!.act).toBe(fn);
    expect(moved.r).toBe(r);
    expect(moved.mask).toBe(model.mask);
    expect(moved.name).toBe("m");
    expect(getDevice(moved)).toBe(dev);
    expect(await moved.layers[0]!.w.array()).toEqual(await w.array());
    expect(await dev(moved.layers[0]!.w)).toBe(moved.layers[0]!.w);
  });

  it("applies the GPU eltype rules: floats to f32, integers and bools untouched, null preserves", async () => {
    const dev = await gpuDevice();
    const x = {
      f64: tensor([0.1, 0.2], [2], { dtype: "f64" }),
      i32: tensor([1, 2], [2], { dtype: "i32" }),
      b: tensor([1, 0], [2], { dtype: "bool" }),
    };
    const out = await dev(x);
    expect(out.f64.dtype).toBe("f32");
    expect(Array.from(await out.f64.data())).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(out.i32.dtype).toBe("i32");
    expect(out.b.dtype).toBe("bool");
    const keep = await gpuDevice(undefined, { eltype: null });
    await expect(keep(x.f64)).rejects.toBeInstanceOf(DeviceDTypeError);
    const i = await keep(x.i32);
    expect(i.dtype).toBe("i32");
  });

  it("turns typed arrays into tensors only when asked", async () => {
    const dev = await gpuDevice();
    const a = new Float64Array([1, 2, 3]);
    const kept = await dev({ a });
    expect(kept.a).toBe(a);
    const made = (await dev({ a, b: a, d: new Int16Array(2) }, { typedArrays: "tensor" })) as unknown as {
      a: Tensor;
      b: Tensor;
      d: Int16Array;
    };
    expect(isTensor(made.a)).toBe(true);
    expect(made.a).toBe(made.b);
    expect(made.a.dtype).toBe("f32");
    expect(made.a.shape).toEqual([3]);
    expect(made.d).toBeInstanceOf(Int16Array);
  });

  it("frees the copies it made when one tensor of the structure cannot move", async () => {
    const keep = await gpuDevice(undefined, { eltype: null });
    const before = memory(keep.device!).liveTensors;
    await expect(keep({ ok: zeros([3]), bad: zeros([2], { dtype: "f64" }) })).rejects.toThrow(/cannot store/);
    expect(memory(keep.device!).liveTensors).toBe(before);
  });
});
