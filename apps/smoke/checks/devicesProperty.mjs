// The round-trip PROPERTY of @flux/devices (its README's transfer contract) on every runtime the smoke app runs on, against the BUILT
// packages: for random nested structures of tensors (random shapes, dtypes, sharing) and other leaves,
// `cpu(dev(x))` equals x leaf by leaf after the README's eltype conversion, the sharing pattern is identical,
// non-tensor leaves pass through as the same values, `getDevice(dev(x))` is the device, and nothing leaks.
// Targets: WebGPU (`gpuDevice(0, { force: true, allowSoftware: true })`; where no adapter works the check is not registered, unless
// FLUX_REQUIRE_WEBGPU=1, as in webgpu.mjs) and a second, CPU target that converts floats: `cpuDevice("f64")`.
// The expected dtypes are written here from the README, not taken from the package, so the docs are tested.
import { cpu, cpuDevice, getDevice, gpuDevice } from "@flux/devices";
import { getBackend, isTensor, memory, tensor } from "@flux/kernels";
import { webgpuFunctional } from "@flux/kernels/webgpu";
import fc from "fast-check";

// Modest: SwiftShader reads back slowly and the check runs on four runtimes.
const NUM_RUNS = 20;
const SOURCE_DTYPES = ["f32", "f64", "i32", "u32", "u8", "bool"];

function required() {
  const g = globalThis;
  const env = g.Deno?.env?.get?.("FLUX_REQUIRE_WEBGPU") ?? g.process?.env?.FLUX_REQUIRE_WEBGPU;
  return env === "1" || g.FLUX_REQUIRE_WEBGPU === "1";
}

/** README "Element types": only floats convert; the GPU default makes them f32 (f16 kept), CPU keeps them. */
function expectedDType(dtype, eltype, isGpu) {
  const isFloat = dtype === "f32" || dtype === "f64" || dtype === "f16";
  if (!isFloat || eltype === null) return dtype;
  if (eltype !== undefined) return eltype;
  if (!isGpu) return dtype;
  return dtype === "f16" ? "f16" : "f32";
}

function valuesArb(dtype, n) {
  const v = {
    bool: fc.integer({ min: 0, max: 1 }),
    u8: fc.integer({ min: 0, max: 255 }),
    u32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    i32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    // NaN, ±0, ±Infinity and subnormals included: a transfer is a copy and must keep every bit pattern class.
    f32: fc.float(),
    f64: fc.double(),
  }[dtype];
  return fc.array(v, { minLength: n, maxLength: n });
}

function tensorSpecArb(dtypes) {
  return fc
    .record({
      shape: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
      dtype: fc.constantFrom(...dtypes),
    })
    .chain(({ shape, dtype }) =>
      valuesArb(
        dtype,
        shape.reduce((a, b) => a * b, 1),
      ).map((values) => ({ shape, dtype, values })),
    );
}

/**
 * A tree description: `{ t: i }` is tensor i of the pool, `{ a: i }` typed array i of a second pool (both
 * may be reached several times: that is the sharing), `{ p }` a primitive; arrays and objects nest them.
 */
function treeArb(tensorCount, arrayCount) {
  return fc.letrec((tie) => ({
    leaf: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: tensorCount - 1 }).map((t) => ({ t })) },
      fc.integer({ min: 0, max: arrayCount - 1 }).map((a) => ({ a })),
      fc
        .oneof(fc.integer(), fc.double(), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null))
        .map((p) => ({ p })),
    ),
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      tie("leaf"),
      fc.array(tie("tree"), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom("a", "b", "c", "w"), tie("tree"), { maxKeys: 3 }),
    ),
  })).tree;
}

function caseArb(dtypes) {
  return fc
    .record({
      tensors: fc.array(tensorSpecArb(dtypes), { minLength: 1, maxLength: 4 }),
      arrays: fc.array(fc.array(fc.float(), { maxLength: 3 }), { minLength: 1, maxLength: 2 }),
    })
    .chain((pools) => treeArb(pools.tensors.length, pools.arrays.length).map((tree) => ({ ...pools, tree })));
}

function build(tree, tensors, arrays) {
  if (Array.isArray(tree)) return tree.map((c) => build(c, tensors, arrays));
  const keys = Object.keys(tree);
  if (keys.length === 1 && typeof tree.t === "number") return tensors[tree.t];
  if (keys.length === 1 && typeof tree.a === "number") return arrays[tree.a];
  if (keys.length === 1 && "p" in tree) return tree.p;
  return Object.fromEntries(keys.map((k) => [k, build(tree[k], tensors, arrays)]));
}

/** Every leaf occurrence in walk order, repeats included (the structures are plain arrays and objects). */
function occurrences(x, out = []) {
  if (Array.isArray(x)) for (const c of x) occurrences(c, out);
  else if (x !== null && typeof x === "object" && !isTensor(x) && !ArrayBuffer.isView(x))
    for (const c of Object.values(x)) occurrences(c, out);
  else out.push(x);
  return out;
}

/** The sharing pattern: for each occurrence, the index of the first occurrence of the same object. */
function sharing(leaves) {
  return leaves.map((l) => (typeof l === "object" && l !== null ? leaves.indexOf(l) : -1));
}

function sameValues(got, want) {
  return got.length === want.length && got.every((v, i) => Object.is(v, want[i]));
}

/** Runs the property against `dev`; `t` is the harness (its assertions throw, which fails the run). */
async function checkRoundTrip(t, dev, dtypes) {
  const isGpu = dev.isGpu;
  await fc.assert(
    fc.asyncProperty(caseArb(dtypes), async (c) => {
      const liveBefore = memory().liveTensors;
      const pool = c.tensors.map((s) => tensor(s.values, s.shape, { dtype: s.dtype }));
      const arrays = c.arrays.map((a) => Float32Array.from(a));
      const x = build(c.tree, pool, arrays);
      let moved;
      let back;
      try {
        moved = await dev(x);
        back = await cpu(moved);
        const before = occurrences(x);
        const onDev = occurrences(moved);
        const after = occurrences(back);
        t.deepEqual(sharing(onDev), sharing(before), "sharing pattern on the device");
        t.deepEqual(sharing(after), sharing(before), "sharing pattern after cpu()");
        // getDevice cannot know a device's eltype rule: it names the device with the default one.
        const hasTensor = before.some(isTensor);
        t.equal(getDevice(moved), hasTensor ? dev.withEltype(undefined) : null, "getDevice(dev(x))");
        t.equal(getDevice(back), hasTensor ? cpuDevice() : null, "getDevice(cpu(dev(x)))");
        for (const [i, orig] of before.entries()) {
          const got = after[i];
          if (!isTensor(orig)) {
            t.ok(
              Object.is(onDev[i], orig) && Object.is(got, orig),
              `leaf ${i} (${typeof orig}) passed through`,
            );
            continue;
          }
          const want = expectedDType(orig.dtype, dev.eltype, isGpu);
          t.equal(onDev[i].device, dev.device, `tensor ${i} lives on the device`);
          t.equal(onDev[i].dtype, want, `tensor ${i} dtype on the device`);
          if (!isGpu && want === orig.dtype)
            t.equal(onDev[i], orig, `tensor ${i} already there: same object`);
          t.ok(isTensor(got) && got.device === cpuDevice().device, `tensor ${i} back on the CPU`);
          t.equal(got.dtype, want, `tensor ${i} dtype after the round trip`);
          t.deepEqual([...got.shape], [...orig.shape], `tensor ${i} shape`);
          const ov = Array.from(await orig.data());
          const gv = Array.from(await got.data());
          const wv = want === "f32" ? ov.map(Math.fround) : ov;
          t.ok(sameValues(gv, wv), `tensor ${i} (${orig.dtype}→${want}) values: want ${wv}, got ${gv}`);
        }
      } finally {
        const created = new Set([...occurrences(moved ?? []), ...occurrences(back ?? [])].filter(isTensor));
        for (const p of pool) created.delete(p);
        for (const u of [...created, ...pool]) u.dispose();
      }
      t.equal(memory().liveTensors, liveBefore, "live tensors after disposing what the run created");
    }),
    // includeErrorInReport: the failing assertion goes into the message the smoke summary prints.
    { numRuns: NUM_RUNS, includeErrorInReport: true },
  );
}

export default async function (t) {
  t.check(`cpu(cpuDevice("f64")(x)) round trip (${NUM_RUNS} random trees)`, async () => {
    const dev = cpuDevice("f64");
    t.equal(dev.eltype, "f64");
    await checkRoundTrip(t, dev, SOURCE_DTYPES);
  });

  const probe = await webgpuFunctional();
  if (!probe.ok) {
    if (required())
      t.check("a WebGPU adapter is usable (FLUX_REQUIRE_WEBGPU=1)", () => t.ok(false, probe.reason));
    else console.log(`  (webgpu round-trip property not run: ${probe.reason})`);
    return;
  }

  t.check(
    `cpu(gpuDevice(0, { force: true, allowSoftware: true })(x)) round trip on WebGPU (${NUM_RUNS} random trees)`,
    async () => {
      const dev = await gpuDevice(0, { force: true, allowSoftware: true });
      t.equal(dev.kind, "webgpu");
      t.equal(dev.withEltype(undefined), dev, "the default-eltype device");
      // f64 is never stored there (the default converts it); f16 only with shader-f16 (not a source dtype here).
      const stored = (await getBackend(dev.device)).dtypes;
      const dtypes = SOURCE_DTYPES.filter((d) => stored.includes(expectedDType(d, dev.eltype, true)));
      t.ok(!stored.includes("f64") && dtypes.includes("f64"), `f64 sources kept (stored: ${stored})`);
      await checkRoundTrip(t, dev, dtypes);
    },
  );
}
