// Property (the README's transfer contract): for random nested structures of tensors (random shapes, dtypes,
// sharing) and other leaves, cpu(dev(x)) equals x leaf by leaf after the documented eltype conversion, the
// sharing pattern is identical, and getDevice of the moved structure is dev. Runs against a CPU-backed second
// backend (always) and the WebGPU backend when it is registered and functional (FLUX_REQUIRE_WEBGPU=1 turns
// its absence into a failure).
import { type DType, getBackend, isTensor, type Tensor, tensor } from "@flux/kernels";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { cpuDevice } from "./cpuDevice.js";
import type { Device } from "./device.js";
import { targetDType } from "./eltype.js";
import { getDevice } from "./getDevice.js";
import { functional, loaded, probeFailure, registerGpuBackend } from "./gpuBackends.js";
import { gpuDevice, resetGpuDevice } from "./gpuDevice.js";
import { fakeGpuProvider } from "./testBackends.js";
import { webgpuAvailableForTests } from "../../kernels/src/webgpu/testing.js";

// kernels' one WebGPU test gate, plus @flux/devices' own view (loaded and functional), so a backend that
// kernels can run but devices cannot select reads as unusable (a failure under FLUX_REQUIRE_WEBGPU=1).
const webgpuOk = await webgpuAvailableForTests({
  also: async () =>
    (await loaded("webgpu"))
      ? (await functional("webgpu"))
        ? null
        : `webgpu is loaded but not functional (${probeFailure("webgpu")})`
      : `the webgpu backend is not registered or its peer does not load (${probeFailure("webgpu") ?? "no provider"})`,
});

const ALL_DTYPES: DType[] = ["f32", "f64", "i32", "u32", "u8", "bool"];

interface TensorSpec {
  shape: number[];
  dtype: DType;
  values: number[];
}
type Tree = { t: number } | { p: number | string | boolean | null } | Tree[] | { [k: string]: Tree };

function valuesFor(dtype: DType, n: number): fc.Arbitrary<number[]> {
  const v =
    dtype === "bool"
      ? fc.integer({ min: 0, max: 1 })
      : dtype === "u8"
        ? fc.integer({ min: 0, max: 255 })
        : dtype === "u32"
          ? fc.integer({ min: 0, max: 2 ** 32 - 1 })
          : dtype === "i32"
            ? fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
            : dtype === "f32"
              ? fc.float({ noNaN: true, noDefaultInfinity: true }).map(Math.fround)
              : fc.double({ noNaN: true, min: -1e30, max: 1e30 });
  return fc.array(v, { minLength: n, maxLength: n });
}

function specArb(dtypes: DType[]): fc.Arbitrary<TensorSpec> {
  return fc
    .record({
      shape: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
      dtype: fc.constantFrom(...dtypes),
    })
    .chain(({ shape, dtype }) =>
      valuesFor(
        dtype,
        shape.reduce((a, b) => a * b, 1),
      ).map((values) => ({ shape, dtype, values })),
    );
}

function treeArb(poolSize: number): fc.Arbitrary<Tree> {
  const { tree } = fc.letrec<{ tree: Tree; leaf: Tree }>((tie) => ({
    leaf: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: poolSize - 1 }).map((t) => ({ t })) },
      fc
        .oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null))
        .map((p) => ({ p })),
    ),
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("leaf"),
      fc.array(tie("tree"), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom("a", "b", "c", "w"), tie("tree"), { maxKeys: 3 }),
    ),
  }));
  return tree;
}

function build(tree: Tree, pool: Tensor[]): unknown {
  if (Array.isArray(tree)) return tree.map((t) => build(t, pool));
  if ("t" in tree && typeof tree.t === "number") return pool[tree.t];
  if ("p" in tree && Object.keys(tree).length === 1) return tree.p;
  return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, build(v as Tree, pool)]));
}

/** Every leaf occurrence in walk order, repeats included (the structures here are plain arrays/objects). */
function occurrences(x: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(x)) for (const c of x) occurrences(c, out);
  else if (x !== null && typeof x === "object" && !isTensor(x))
    for (const c of Object.values(x)) occurrences(c, out);
  else out.push(x);
  return out;
}

/** The sharing pattern: for each occurrence, the index of the first occurrence of the same object. */
function sharing(leaves: unknown[]): number[] {
  return leaves.map((l) => (typeof l === "object" && l !== null ? leaves.indexOf(l) : -1));
}

async function checkRoundTrip(dev: Device, dtypes: DType[]): Promise<void> {
  const arb = fc
    .array(specArb(dtypes), { minLength: 1, maxLength: 4 })
    .chain((specs) => fc.tuple(fc.constant(specs), treeArb(specs.length)));
  await fc.assert(
    fc.asyncProperty(arb, async ([specs, tree]) => {
      const pool = specs.map((s) => tensor(s.values, s.shape, { dtype: s.dtype }));
      const x = build(tree, pool);
      const moved = await dev(x);
      const back = await cpuDevice()(moved);
      try {
        const before = occurrences(x);
        const onDev = occurrences(moved);
        const after = occurrences(back);
        expect(sharing(onDev)).toEqual(sharing(before));
        expect(sharing(after)).toEqual(sharing(before));
        const hasTensor = before.some(isTensor);
        expect(getDevice(moved)).toBe(hasTensor ? dev.withEltype(undefined) : null);
        for (const [i, orig] of before.entries()) {
          const got = after[i];
          if (!isTensor(orig)) {
            expect(got).toBe(orig);
            continue;
          }
          const t = got as Tensor;
          const want = targetDType(orig.dtype, dev.eltype, dev.isGpu);
          expect(t.dtype).toBe(want);
          expect(t.shape).toEqual(orig.shape);
          const ov = Array.from(await orig.data());
          expect(Array.from(await t.data())).toEqual(want === "f32" ? ov.map(Math.fround) : ov);
          expect((onDev[i] as Tensor).device).toBe(dev.device);
        }
      } finally {
        const keep = new Set<unknown>(pool);
        for (const l of [...occurrences(moved), ...occurrences(back)]) {
          if (isTensor(l) && !keep.has(l)) l.dispose();
        }
        for (const t of pool) t.dispose();
      }
    }),
    { numRuns: 60 },
  );
}

describe("cpu(dev(x)) round trip", () => {
  beforeAll(() => registerGpuBackend("propgpu", fakeGpuProvider("propgpu", 1)));

  it("through a second (CPU-backed) device with the GPU default eltype", async () => {
    process.env.FLUX_GPU_BACKEND = "propgpu";
    resetGpuDevice();
    const dev = await gpuDevice();
    expect(dev.kind).toBe("propgpu");
    await checkRoundTrip(dev, ALL_DTYPES);
  });

  it("through a CPU device converting floats to f64", async () => {
    await checkRoundTrip(cpuDevice("f64"), ALL_DTYPES);
  });

  it.skipIf(!webgpuOk)("through the WebGPU backend", async () => {
    delete process.env.FLUX_GPU_BACKEND;
    resetGpuDevice();
    const dev = await gpuDevice(0, { force: true, allowSoftware: true });
    expect(dev.kind).toBe("webgpu");
    const stored = (await getBackend(dev.device!)).dtypes;
    await checkRoundTrip(
      dev,
      ALL_DTYPES.filter((d) => stored.includes(targetDType(d, undefined, true))),
    );
  });
});
