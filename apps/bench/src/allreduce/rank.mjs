// One rank of the bench's allreduce group, for @flux/distributed: started N times by `mpirun` (MPIBackend)
// or as N worker threads by threadsMain.mjs (ThreadsBackend). The same scheme as allreduce_bench.c.
//
// usage: <runtime> rank.mjs <url of the built @flux/distributed> [--tree K] BYTES:WARMUP:REPS [...]
//
// Per size: one checked call (rank r holds r + 1, everyone must get N(N+1)/2, or the mean with --tree),
// WARMUP untimed ones, then REPS timed calls, each after `await barrier(b)`, timed on rank 0 with
// performance.now(). Rank 0 prints `RESULT {"impl":"flux",...,"bytes":B,"ranks":N,"times":[s...]}`.
// Without --tree a call is `await allreduce(b, x, "sum")` on one Float32Array of BYTES, in place. With
// --tree K it is `await averageGradients(b, grad)` on a gradient tree of K f32 tensors holding BYTES in all
// (the data-parallel step: one flat allreduce), and the averaged tensors are freed after each call.

import { parseSpec } from "./scheme.mjs";

const args = process.argv.slice(2);
const distUrl = args.shift();
const treeAt = args.indexOf("--tree");
const leaves = treeAt >= 0 ? Number(args.splice(treeAt, 2)[1]) : 0;
const specs = args;
if (!distUrl || specs.length === 0 || Number.isNaN(leaves))
  throw new Error(
    "[@flux-apps/bench] usage: rank.mjs <@flux/distributed url> [--tree K] BYTES:WARMUP:REPS ...",
  );
const { initialize, detectBackend, allreduce, averageGradients, barrier, localRank, totalWorkers } =
  await import(distUrl);
const kernels = await import("@flux/kernels");

const backend = detectBackend();
const b = await initialize(backend);
const rank = localRank(b);
const ranks = totalWorkers(b);

/**
 * A gradient-shaped tree of `leaves` f32 tensors with `bytes` in all, every value `v`.
 *
 * @param {number} bytes
 * @param {number} v
 */
function treeOf(bytes, v) {
  const per = Math.floor(bytes / 4 / leaves);
  const sizes = Array.from({ length: leaves }, (_, i) =>
    i < leaves - 1 ? per : bytes / 4 - per * (leaves - 1),
  );
  return { layers: sizes.map((n) => ({ weight: kernels.tensor(new Float32Array(n).fill(v), [n]) })) };
}

for (const raw of specs) {
  const { bytes, warmup, reps } = parseSpec(raw);
  let call;
  if (leaves > 0) {
    const grad = treeOf(bytes, rank + 1);
    const avg = await averageGradients(b, grad);
    const got = (await avg.layers[leaves - 1].weight.data())[0];
    if (got !== (ranks + 1) / 2)
      throw new Error(
        `[@flux-apps/bench] rank ${rank}: averageGradients gave ${got}, expected ${(ranks + 1) / 2}`,
      );
    kernels.dispose(avg);
    call = async () => kernels.dispose(await averageGradients(b, grad));
  } else {
    const x = new Float32Array(bytes / 4);
    x.fill(rank + 1);
    await allreduce(b, x, "sum");
    const expected = (ranks * (ranks + 1)) / 2;
    if (x[0] !== expected || x[x.length - 1] !== expected)
      throw new Error(`[@flux-apps/bench] rank ${rank}: allreduce gave ${x[0]}, expected ${expected}`);
    // Zeros from here on: an in-place sum of ones would grow by a factor N per call towards infinity.
    x.fill(0);
    call = () => allreduce(b, x, "sum");
  }
  for (let i = 0; i < warmup; i++) {
    await barrier(b);
    await call();
  }
  const times = [];
  for (let i = 0; i < reps; i++) {
    await barrier(b);
    const t0 = performance.now();
    await call();
    times.push((performance.now() - t0) / 1e3);
  }
  if (rank === 0) {
    const impl = leaves > 0 ? "flux-tree" : "flux";
    const line = { impl, backend: backend.backendName, leaves, bytes, ranks, times };
    console.log(`RESULT ${JSON.stringify(line)}`);
  }
}
