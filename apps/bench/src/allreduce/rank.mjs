// One rank of the bench's allreduce group, for @flux/distributed: started N times by `mpirun` (MPIBackend)
// or as N worker threads by threadsMain.mjs (ThreadsBackend). The same scheme as allreduce_bench.c.
//
// usage: <runtime> rank.mjs <url of the built @flux/distributed> BYTES:WARMUP:REPS [...]
//
// Per size: one checked allreduce (rank r holds r + 1, everyone must get N(N+1)/2), WARMUP untimed ones,
// then REPS timed `await allreduce(b, x, "sum")`, each after `await barrier(b)`, timed on rank 0 with
// performance.now(). Rank 0 prints `RESULT {"impl":"flux","backend":...,"bytes":B,"ranks":N,"times":[s...]}`.

import { parseSpec } from "./scheme.mjs";

const [distUrl, ...specs] = process.argv.slice(2);
if (!distUrl || specs.length === 0)
  throw new Error("[@flux-apps/bench] usage: rank.mjs <@flux/distributed url> BYTES:WARMUP:REPS ...");
const { initialize, detectBackend, allreduce, barrier, localRank, totalWorkers } = await import(distUrl);

const backend = detectBackend();
const b = await initialize(backend);
const rank = localRank(b);
const ranks = totalWorkers(b);

for (const raw of specs) {
  const { bytes, warmup, reps } = parseSpec(raw);
  const x = new Float32Array(bytes / 4);
  x.fill(rank + 1);
  await allreduce(b, x, "sum");
  const expected = (ranks * (ranks + 1)) / 2;
  if (x[0] !== expected || x[x.length - 1] !== expected)
    throw new Error(`[@flux-apps/bench] rank ${rank}: allreduce gave ${x[0]}, expected ${expected}`);
  // Zeros from here on: an in-place sum of ones would grow by a factor N per call towards infinity.
  x.fill(0);
  for (let i = 0; i < warmup; i++) {
    await barrier(b);
    await allreduce(b, x, "sum");
  }
  const times = [];
  for (let i = 0; i < reps; i++) {
    await barrier(b);
    const t0 = performance.now();
    await allreduce(b, x, "sum");
    times.push((performance.now() - t0) / 1e3);
  }
  if (rank === 0) {
    const line = { impl: "flux", backend: backend.backendName, bytes, ranks, times };
    console.log(`RESULT ${JSON.stringify(line)}`);
  }
}
