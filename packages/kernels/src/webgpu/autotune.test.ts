// The autotune's selection and caching logic with injected timings (no GPU, nothing timed for real).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as fsp from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  adapterKey,
  autotuneEnabled,
  type MeasureMatmul,
  MatmulTuner,
  matmulCandidates,
  pickFastest,
  shapeClass,
  tuneKey,
} from "./autotune.js";
import {
  AUTOTUNE_STORAGE_KEY,
  type AutotuneCache,
  fileCache,
  layered,
  memoryCache,
  webStorageCache,
} from "./autotuneCache.js";
import type { MatmulKernel, MatmulProblem } from "./matmul/plan.js";

const P = (M: number, N: number, K: number): MatmulProblem => ({ M, N, K, transA: false, transB: false });

/** A fake stopwatch: fixed times per kernel, and a log of what was timed. */
function fakeTimer(ms: Partial<Record<MatmulKernel, number[]>>) {
  const calls: string[] = [];
  const measure: MeasureMatmul = async (kernel, p, dtype, reps) => {
    calls.push(`${kernel} ${tuneKey(p, dtype)} x${reps}`);
    return ms[kernel] ?? [Number.POSITIVE_INFINITY];
  };
  return { measure, calls };
}

describe("shape classes and candidates", () => {
  it("buckets problems into small / skinny / large", () => {
    expect(shapeClass(P(32, 32, 32))).toBe("small");
    expect(shapeClass(P(64, 64, 64))).toBe("small");
    expect(shapeClass(P(1024, 8, 1024))).toBe("skinny");
    expect(shapeClass(P(4, 4096, 512))).toBe("skinny");
    expect(shapeClass(P(256, 256, 256))).toBe("large");
  });
  it("keys by dtype, class and vec4 alignment; vec4 is a candidate only when aligned", () => {
    expect(tuneKey(P(256, 256, 256), "f32")).toBe("f32/large/aligned");
    expect(tuneKey(P(255, 256, 256), "f16")).toBe("f16/large/unaligned");
    expect(matmulCandidates(P(256, 256, 256))).toEqual(["matmul_vec4", "matmul_reg", "matmul_tiled"]);
    expect(matmulCandidates(P(255, 256, 256))).toEqual(["matmul_reg", "matmul_tiled"]);
  });
  it("builds the adapter key from vendor, architecture, device and driver description", () => {
    expect(
      adapterKey({ vendor: "nvidia", architecture: "ada", device: "0x2684", description: "drv 550" }),
    ).toBe("nvidia|ada|0x2684|drv 550");
    expect(adapterKey({ vendor: "apple" })).toBe("apple|||");
  });
});

describe("pickFastest", () => {
  it("takes each kernel's best sample and the overall minimum", () => {
    const t = new Map<MatmulKernel, number[]>([
      ["matmul_reg", [5, 1.5, 9]],
      ["matmul_tiled", [1.6, 1.7, 1.8]],
    ]);
    expect(pickFastest(t)).toBe("matmul_reg");
  });
  it("breaks ties by candidate order and ignores non-finite times", () => {
    expect(
      pickFastest(
        new Map<MatmulKernel, number[]>([
          ["matmul_vec4", [2]],
          ["matmul_reg", [2]],
        ]),
      ),
    ).toBe("matmul_vec4");
    expect(
      pickFastest(
        new Map<MatmulKernel, number[]>([
          ["matmul_reg", [Number.NaN]],
          ["matmul_tiled", [3]],
        ]),
      ),
    ).toBe("matmul_tiled");
    expect(pickFastest(new Map())).toBeUndefined();
  });
});

describe("MatmulTuner", () => {
  it("answers undefined until the class is tuned, then the fastest; one tuning per class", async () => {
    const { measure, calls } = fakeTimer({ matmul_vec4: [3], matmul_reg: [2], matmul_tiled: [1] });
    const tuner = new MatmulTuner("gpu", memoryCache(), measure, 2);
    expect(tuner.kernelFor(P(256, 256, 256), "f32")).toBeUndefined();
    expect(tuner.kernelFor(P(512, 512, 512), "f32")).toBeUndefined(); // same class: no second tuning
    await tuner.idle();
    expect(tuner.kernelFor(P(512, 512, 512), "f32")).toBe("matmul_tiled");
    expect(calls).toEqual([
      "matmul_vec4 f32/large/aligned x2",
      "matmul_reg f32/large/aligned x2",
      "matmul_tiled f32/large/aligned x2",
    ]);
    // Another class tunes on its own.
    expect(tuner.kernelFor(P(8, 8, 8), "f32")).toBeUndefined();
    await tuner.idle();
    expect(Object.keys(tuner.results()).sort()).toEqual(["f32/large/aligned", "f32/small/aligned"]);
  });
  it("saves results per adapter, and a new tuner on the same cache skips the timing", async () => {
    const cache = memoryCache();
    const first = fakeTimer({ matmul_reg: [1], matmul_tiled: [4] });
    const a = new MatmulTuner("adapter-A", cache, first.measure);
    await a.tune(P(300, 300, 300), "f32");
    const second = fakeTimer({ matmul_reg: [9], matmul_tiled: [1] });
    const b = new MatmulTuner("adapter-A", cache, second.measure);
    await b.load();
    expect(b.kernelFor(P(304, 308, 300), "f32")).toBe("matmul_reg");
    expect(second.calls).toEqual([]);
    // Another adapter shares nothing.
    const c = new MatmulTuner("adapter-B", cache, second.measure);
    await c.load();
    expect(c.kernelFor(P(304, 308, 300), "f32")).toBeUndefined();
    await c.idle();
    expect(c.kernelFor(P(304, 308, 300), "f32")).toBe("matmul_tiled");
  });
  it("ignores a cached kernel that cannot run the problem, and stops retrying a class whose timing failed", async () => {
    const cache = memoryCache();
    await cache.save("x", { "f32/large/unaligned": "matmul_vec4" });
    let n = 0;
    const tuner = new MatmulTuner("x", cache, async () => {
      n++;
      throw new Error("device lost");
    });
    await tuner.load();
    expect(tuner.kernelFor(P(255, 256, 256), "f32")).toBeUndefined();
    await tuner.idle();
    expect(tuner.kernelFor(P(255, 256, 256), "f32")).toBeUndefined();
    await tuner.idle();
    expect(n).toBe(1);
  });
});

describe("autotuneEnabled", () => {
  it("option first, then FLUX_WEBGPU_AUTOTUNE, then on for hardware and off for CPU-backed adapters", () => {
    expect(autotuneEnabled(false, "1", false)).toBe(false);
    expect(autotuneEnabled(true, "0", true)).toBe(true);
    expect(autotuneEnabled(undefined, "1", true)).toBe(true);
    expect(autotuneEnabled(undefined, "off", false)).toBe(false);
    expect(autotuneEnabled(undefined, undefined, false)).toBe(true);
    expect(autotuneEnabled(undefined, "", true)).toBe(false);
  });
});

describe("autotune caches", () => {
  const dir = mkdtempSync(join(tmpdir(), "flux-autotune-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function roundTrip(make: () => AutotuneCache): Promise<void> {
    await make().save("A", { "f32/large/aligned": "matmul_tiled" });
    await make().save("A", { "f32/small/aligned": "matmul_vec4" });
    await make().save("B", { "f16/large/unaligned": "matmul_reg" });
    expect(await make().load("A")).toEqual({
      "f32/large/aligned": "matmul_tiled",
      "f32/small/aligned": "matmul_vec4",
    });
    expect(await make().load("B")).toEqual({ "f16/large/unaligned": "matmul_reg" });
    expect(await make().load("C")).toEqual({});
  }

  it("a JSON file round-trips (a fresh store object each time, as a later process would)", async () => {
    const path = join(dir, "nested", "autotune-v1.json");
    await roundTrip(() => fileCache(path, fsp));
    const onDisk = JSON.parse(readFileSync(path, "utf8"));
    expect(onDisk.version).toBe(1);
    expect(onDisk.adapters.A["f32/large/aligned"]).toBe("matmul_tiled");
  });
  it("the file store loads via node:fs by default too", async () => {
    const path = join(dir, "default-fs.json");
    await fileCache(path).save("A", { k: "matmul_reg" });
    expect(await fileCache(path).load("A")).toEqual({ k: "matmul_reg" });
  });
  it("a missing, corrupt or foreign file reads as empty and keeps only known kernels", async () => {
    expect(await fileCache(join(dir, "missing.json"), fsp).load("A")).toEqual({});
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{not json");
    expect(await fileCache(bad, fsp).load("A")).toEqual({});
    writeFileSync(bad, JSON.stringify({ version: 1, adapters: { A: { k1: "matmul_reg", k2: "rm -rf" } } }));
    expect(await fileCache(bad, fsp).load("A")).toEqual({ k1: "matmul_reg" });
    writeFileSync(bad, JSON.stringify({ version: 2, adapters: { A: { k1: "matmul_reg" } } }));
    expect(await fileCache(bad, fsp).load("A")).toEqual({});
  });
  it("Web Storage round-trips under its key", async () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    };
    await roundTrip(() => webStorageCache(storage));
    expect([...items.keys()]).toEqual([AUTOTUNE_STORAGE_KEY]);
  });
  it("the memory layer reads its store once per adapter and writes through", async () => {
    let loads = 0;
    const inner = memoryCache();
    const counting: AutotuneCache = {
      load: (a) => {
        loads++;
        return inner.load(a);
      },
      save: (a, e) => inner.save(a, e),
    };
    const cache = layered(counting);
    await cache.load("A");
    await cache.save("A", { k: "matmul_reg" });
    expect(await cache.load("A")).toEqual({ k: "matmul_reg" });
    expect(loads).toBe(1);
    expect(await inner.load("A")).toEqual({ k: "matmul_reg" });
  });
});
