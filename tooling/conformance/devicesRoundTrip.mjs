// The round-trip PROPERTY of @flux/devices (its README's transfer contract), written ONCE and run by both
// the unit tests (packages/devices/src/transfer.property.test.ts, against the sources) and the smoke runs
// (apps/smoke/checks/devicesProperty.mjs, against the BUILT packages on node, bun, deno and Chromium): for
// random nested structures of tensors (random shapes, dtypes, sharing), typed arrays and other leaves,
// `cpu(dev(x))` equals x leaf by leaf after the README's eltype conversion, every bit pattern class kept
// (NaN, ±0, ±Infinity, subnormals), the sharing pattern is identical, non-tensor leaves pass through as the
// same values, `getDevice` names the device, and nothing leaks. Plain ESM that imports the packages by name,
// so each side gets the packages it tests; failures throw with the leaf and what was wrong. Types: ./devicesRoundTrip.d.mts.
import { cpu, cpuDevice, getDevice } from "@flux/devices";
import { getBackend, isTensor, memory, tensor } from "@flux/kernels";
import fc from "fast-check";

/** The source dtypes of the random tensors. */
export const SOURCE_DTYPES = ["f32", "f64", "i32", "u32", "u8", "bool"];

/**
 * The dtype a tensor of `dtype` has on a device of element-type rule `eltype`, written here from the README
 * ("Element types"), not taken from the package, so that the docs are tested: only floats convert; the GPU
 * default makes them f32 (f16 kept), the CPU default keeps them, `null` keeps every dtype.
 *
 * @example
 * expectedDType("f64", undefined, true); // "f32"
 */
export function expectedDType(dtype, eltype, isGpu) {
  const isFloat = dtype === "f32" || dtype === "f64" || dtype === "f16";
  if (!isFloat || eltype === null) return dtype;
  if (eltype !== undefined) return eltype;
  if (!isGpu) return dtype;
  return dtype === "f16" ? "f16" : "f32";
}

/**
 * The source dtypes whose converted dtype `dev`'s backend stores (WebGPU stores no f64, but f64 sources are
 * kept: the GPU default converts them to f32).
 *
 * @example
 * await dtypesFor(await gpuDevice()); // ["f32", "f64", "i32", "u32", "u8", "bool"] on WebGPU
 */
export async function dtypesFor(dev) {
  const stored = (await getBackend(dev.device)).dtypes;
  return SOURCE_DTYPES.filter((d) => stored.includes(expectedDType(d, dev.eltype, dev.isGpu)));
}

class RoundTripMismatch extends Error {
  name = "RoundTripMismatch";
}

function check(ok, message) {
  if (!ok) throw new RoundTripMismatch(message);
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

const sameList = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/** One random case through `dev` and back, checked; disposes everything it made. */
async function roundTrip(dev, c) {
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
    check(sameList(sharing(onDev), sharing(before)), "the sharing pattern differs on the device");
    check(sameList(sharing(after), sharing(before)), "the sharing pattern differs after cpu()");
    // getDevice cannot know a device's eltype rule: it names the device with the default one.
    const hasTensor = before.some(isTensor);
    check(
      getDevice(moved) === (hasTensor ? dev.withEltype(undefined) : null),
      `getDevice(dev(x)) is ${getDevice(moved)}`,
    );
    check(
      getDevice(back) === (hasTensor ? cpuDevice() : null),
      `getDevice(cpu(dev(x))) is ${getDevice(back)}`,
    );
    for (const [i, orig] of before.entries()) {
      const got = after[i];
      if (!isTensor(orig)) {
        check(
          Object.is(onDev[i], orig) && Object.is(got, orig),
          `leaf ${i} (${typeof orig}) did not pass through`,
        );
        continue;
      }
      const want = expectedDType(orig.dtype, dev.eltype, dev.isGpu);
      check(onDev[i].device === dev.device, `tensor ${i} is on ${onDev[i].device}, not ${dev.device}`);
      check(onDev[i].dtype === want, `tensor ${i} is ${onDev[i].dtype} on the device, expected ${want}`);
      if (!dev.isGpu && want === orig.dtype)
        check(onDev[i] === orig, `tensor ${i} was already there but was copied`);
      check(isTensor(got) && got.device === cpuDevice().device, `tensor ${i} is not back on the CPU`);
      check(got.dtype === want, `tensor ${i} is ${got.dtype} after the round trip, expected ${want}`);
      check(
        sameList([...got.shape], [...orig.shape]),
        `tensor ${i} has shape [${got.shape}], not [${orig.shape}]`,
      );
      const ov = Array.from(await orig.data());
      const gv = Array.from(await got.data());
      const wv = want === "f32" ? ov.map(Math.fround) : ov;
      check(sameList(gv, wv), `tensor ${i} (${orig.dtype}→${want}) values: want ${wv}, got ${gv}`);
    }
  } finally {
    const created = new Set([...occurrences(moved ?? []), ...occurrences(back ?? [])].filter(isTensor));
    for (const p of pool) created.delete(p);
    for (const u of [...created, ...pool]) u.dispose();
  }
  const liveAfter = memory().liveTensors;
  check(
    liveAfter === liveBefore,
    `${liveAfter - liveBefore} tensor(s) left alive after disposing what the run made`,
  );
}

/**
 * Checks the round-trip property through `dev` on `numRuns` random trees of tensors of `dtypes` (default:
 * those `dev` stores, see `dtypesFor`); rejects with the shrunk counterexample and the failed assertion.
 *
 * @example
 * await devicesRoundTrip(cpuDevice("f64"), { numRuns: 20 });
 */
export async function devicesRoundTrip(dev, { dtypes, numRuns = 20 } = {}) {
  const sources = dtypes ?? (await dtypesFor(dev));
  // The GPU default converts f64 to f32, so f64 sources are always part of the property there.
  if (dev.isGpu && dev.eltype === undefined)
    check(sources.includes("f64"), `f64 sources left out: ${sources}`);
  const arb = caseArb(sources);
  // includeErrorInReport: the failing assertion goes into the message a smoke summary prints.
  await fc.assert(
    fc.asyncProperty(arb, (c) => roundTrip(dev, c)),
    { numRuns, includeErrorInReport: true },
  );
}
