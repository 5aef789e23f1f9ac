// @flux/data as a user meets it: the observation interface, DataLoader batches/partial/shuffle
// reproducibility/printing, the prefetching device iterator freeing its batches, and the IDX reader on
// gzip bytes made with the runtime's own CompressionStream. No file system access: runs in a browser too.
import * as dataModule from "@flux/data";
import { memory, registerBackend, cpuBackendProvider, rng, tensor, toDevice } from "@flux/kernels";

const data = { ...dataModule };
const { DataLoader, getobs, numobs, splitobs, prefetchToDevice, readIdx } = data;

const X = () =>
  tensor(
    Float32Array.from({ length: 10 }, (_, i) => i + 1),
    [2, 5],
  );

export default function (t) {
  t.check("exports its public names (the README's API) from the built package", () => {
    for (const name of ["numobs", "getobs", "DataLoader", "mapobs", "splitobs", "shuffleobs"])
      t.equal(typeof data[name], "function", `export ${name}`);
    for (const name of ["obsview", "readIdx", "parseIdx", "MNIST", "FashionMNIST", "prefetchToDevice"])
      t.equal(typeof data[name], "function", `export ${name}`);
  });

  t.check("numobs/getobs over the last dim, through objects", () => {
    const d = { x: X(), y: Int32Array.of(1, 2, 3, 4, 5) };
    t.equal(numobs(d), 5);
    const b = getobs(d, [1, 2]);
    t.deepEqual(b.x.shape, [2, 2]);
    t.deepEqual(Array.from(b.y), [2, 3]);
  });

  t.check("DataLoader: batch boundaries, partial, default batchsize, printing", () => {
    t.deepEqual(
      [...DataLoader(X(), { batchsize: 2 })].map((b) => b.shape[1]),
      [2, 2, 1],
    );
    t.equal(DataLoader(X(), { batchsize: 2, partial: false }).length, 2);
    t.deepEqual([...DataLoader(X())][0].shape, [2, 1]);
    t.equal(String(DataLoader(X(), { batchsize: 2 })), "DataLoader(::Tensor{f32} 2×5, batchsize=2)");
  });

  t.check("shuffle is reproducible from rng(seed)", () => {
    const y = Int32Array.from({ length: 12 }, (_, i) => i);
    const run = () =>
      [...DataLoader(y, { batchsize: 5, shuffle: true, rng: rng(3) })].flatMap((b) => Array.from(b));
    t.deepEqual(run(), run());
  });

  t.check("splitobs splits by fraction", () => {
    t.deepEqual(
      splitobs(10, { at: 0.7 }).map((p) => p.length),
      [7, 3],
    );
  });

  t.check("prefetchToDevice moves batches and frees the previous one", async () => {
    registerBackend("smokecpu", cpuBackendProvider("smokecpu"));
    const dev = async (b) => toDevice(b, "smokecpu");
    const before = memory("smokecpu").liveTensors;
    const seen = [];
    for await (const b of prefetchToDevice(dev, DataLoader(X(), { batchsize: 2 }))) {
      t.equal(String(b.device), "smokecpu:0");
      seen.push(b);
    }
    t.ok(seen.length === 3 && seen.every((b) => b.isDisposed), "every device batch freed");
    t.equal(memory("smokecpu").liveTensors, before, "no device tensors left");
  });

  t.check("readIdx reads gzip IDX bytes", async () => {
    const raw = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]);
    const gz = new Uint8Array(
      await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer(),
    );
    const a = await readIdx(gz);
    t.deepEqual(a.shape, [3]);
    t.deepEqual(Array.from(a.data), [7, 8, 9]);
  });
}
