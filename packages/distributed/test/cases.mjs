// The multi-rank conformance cases (Flux's test/distributed cases), run by every backend and runtime:
//   mpirun -n 4 node test/cases.mjs         (MPIBackend)
//   node dist/cli.js --threads 4 test/cases.mjs   (ThreadsBackend)
// Rank 0 prints one line per case, "ok <name>" or "FAIL <name>: <why>", then "cases: P passed, F failed".
// A case passes only if it passed on every rank (the verdicts are combined with an allreduce "min").
import { readEnv } from "@flux/kernels";
import {
  allreduce,
  averageGradients,
  barrier,
  bcast,
  DistributedArgumentError,
  DistributedDataContainer,
  DistributedMismatchError,
  DistributedOptimizer,
  detectBackend,
  FluxDistributedModel,
  getDistributedBackend,
  initialize,
  localRank,
  reduce,
  synchronize,
  totalWorkers,
} from "../dist/index.js";

const Backend = detectBackend();
const b = await initialize(Backend, { timeoutMs: 20_000 });
const rank = localRank(b);
const n = totalWorkers(b);
const cases = [];
const test = (name, fn) => cases.push({ name, fn });

function check(cond, why) {
  if (!cond) throw new Error(why);
}
function same(a, e, why, tol = 0) {
  check(a.length === e.length, `${why}: length ${a.length} != ${e.length}`);
  for (let i = 0; i < a.length; i++)
    if (!(Math.abs(a[i] - e[i]) <= tol || (Number.isNaN(a[i]) && Number.isNaN(e[i]))))
      throw new Error(`${why}: at ${i} got ${a[i]}, expected ${e[i]} (rank ${rank})`);
}
const ranks = Array.from({ length: n }, (_, r) => r);
const sumOver = (f) => ranks.reduce((s, r) => s + f(r), 0);

test("backend: rank and size match the launcher", async () => {
  const expected = Number(readEnv("FLUX_EXPECT_N") ?? n);
  check(n === expected, `totalWorkers ${n}, launcher started ${expected}`);
  check(getDistributedBackend(Backend) === b, "getDistributedBackend returns the initialized backend");
  const s = await allreduce(b, new Float64Array([rank]), "sum");
  check(s[0] === (n * (n - 1)) / 2, `ranks are not 0..${n - 1} (sum ${s[0]})`);
});

const local = (r) => [r + 1, -2 * (r + 1), r % 2, 10];
for (const [dtype, Ctor] of [
  ["f32", Float32Array],
  ["f64", Float64Array],
  ["i32", Int32Array],
]) {
  // avg on integers is refused (it would truncate): see the case below.
  const ops = dtype === "i32" ? ["sum", "max", "min"] : ["sum", "avg", "max", "min"];
  test(`allreduce ${dtype}: ${ops.join(", ")}`, async () => {
    for (const op of ops) {
      const x = Ctor.from(local(rank));
      const out = await allreduce(b, x, op);
      check(out === x, "a typed array is reduced in place and returned");
      const cols = [0, 1, 2, 3].map((i) => ranks.map((r) => local(r)[i]));
      const want = cols.map((c) =>
        op === "sum"
          ? c.reduce((s, v) => s + v)
          : op === "avg"
            ? c.reduce((s, v) => s + v) / n
            : op === "max"
              ? Math.max(...c)
              : Math.min(...c),
      );
      same(x, Ctor.from(want), `${op}`, dtype === "f32" ? 1e-6 : 0);
    }
  });
}

test("allreduce: a buffer larger than the threads arena region (chunked) is summed exactly", async () => {
  const len = 1_500_000 + 3; // 6 MB of f32: two chunks of the default 4 MiB region
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) x[i] = (i % 7) + rank;
  await allreduce(b, x, "sum");
  const extra = sumOver((r) => r);
  for (let i = 0; i < len; i++) if (x[i] !== n * (i % 7) + extra) throw new Error(`at ${i} got ${x[i]}`);
});

test("bcast: every rank gets root's buffer (root 0 and the last rank)", async () => {
  for (const root of [0, n - 1]) {
    const x = new Float32Array([rank, rank * 2, 7]);
    await bcast(b, x, { root });
    same(x, [root, root * 2, 7], `bcast from ${root}`);
  }
});

test("reduce: root gets the reduction, other ranks keep their buffer", async () => {
  const root = 1 % n;
  const x = new Float64Array([rank + 1, rank]);
  await reduce(b, x, "sum", { root });
  if (rank === root) same(x, [sumOver((r) => r + 1), sumOver((r) => r)], "reduce sum at root");
  else same(x, [rank + 1, rank], "reduce leaves non-roots alone");
  const y = new Float64Array([rank]);
  await reduce(b, y, "avg", { root: 0 });
  if (rank === 0) same(y, [sumOver((r) => r) / n], "reduce avg at root");
  const z = new Int32Array([rank]);
  await reduce(b, z, "max", { root: 0 });
  if (rank === 0) same(z, [n - 1], "reduce max at root");
});

test("mismatched lengths throw DistributedMismatchError naming each rank's length", async () => {
  let err;
  try {
    await allreduce(b, new Float32Array(3 + rank), "sum");
  } catch (e) {
    err = e;
  }
  if (n === 1) return check(err === undefined, "one rank cannot mismatch");
  check(err instanceof DistributedMismatchError, `expected DistributedMismatchError, got ${err}`);
  check(err.code === "ERR_DISTRIBUTED_MISMATCH", "stable code");
  for (const r of ranks)
    check(err.message.includes(`rank ${r}: length ${3 + r}`), `message names rank ${r}: ${err.message}`);
  // The check moved no data: the communicator is still usable.
  const ok = await allreduce(b, new Float32Array([1]), "sum");
  same(ok, [n], "allreduce after a caught mismatch");
});

test("mismatched dtype, op and root are caught too", async () => {
  if (n === 1) return;
  const kinds = [
    () => allreduce(b, rank === 0 ? new Float64Array(2) : new Float32Array(2), "sum"),
    () => allreduce(b, new Float32Array(2), rank === 0 ? "max" : "sum"),
    () => bcast(b, new Float32Array(2), { root: rank === 0 ? 0 : 1 }),
  ];
  for (const [i, k] of kinds.entries()) {
    let err;
    try {
      await k();
    } catch (e) {
      err = e;
    }
    check(err instanceof DistributedMismatchError, `kind ${i}: expected a mismatch error, got ${err}`);
  }
  await barrier(b);
});

test("an argument that cannot travel on ONE rank fails every rank (no hang); the group stays usable", async () => {
  let err;
  try {
    await allreduce(b, rank === n - 1 ? new BigInt64Array(4) : new Float32Array(4), "sum");
  } catch (e) {
    err = e;
  }
  if (rank === n - 1) check(err instanceof DistributedArgumentError, `the bad rank: got ${err}`);
  else check(err instanceof DistributedMismatchError && /unsupported/.test(err.message), `got ${err}`);
  same(await allreduce(b, new Float32Array([1, 2]), "sum"), [n, 2 * n], "allreduce afterwards");
});

test("avg on Int32 is refused on every rank (it would truncate); the group stays usable", async () => {
  let err;
  try {
    await allreduce(b, new Int32Array([rank + 1, 1]), "avg");
  } catch (e) {
    err = e;
  }
  check(err instanceof DistributedArgumentError, `expected DistributedArgumentError, got ${err}`);
  check(/would truncate/.test(err.message), err.message);
  same(await allreduce(b, new Int32Array([1]), "sum"), [n], "sum after the refusal");
});

test("tensors of equal length but different shapes ([2, 4] and [4, 2]) are a mismatch, not summed", async () => {
  const { tensor } = await import("@flux/kernels");
  if (n === 1) return;
  let err;
  try {
    await allreduce(b, tensor(new Float32Array(8).fill(1), rank % 2 === 0 ? [2, 4] : [4, 2]), "sum");
  } catch (e) {
    err = e;
  }
  check(err instanceof DistributedMismatchError, `expected a mismatch, got ${err}`);
  check(/rank 0: shape \[2, 4\]; rank 1: shape \[4, 2\]/.test(err.message), err.message);
});

test("averageGradients: a tree averaged in one transfer, ties kept, inputs untouched", async () => {
  const { tensor } = await import("@flux/kernels");
  const tied = tensor(new Float32Array([rank, 1]), [2]);
  const grad = {
    layers: [{ weight: tensor(new Float32Array(6).fill(rank + 1), [2, 3]), bias: tied }, { weight: tied }],
    scale: new Float64Array([2 * rank]),
    none: null,
  };
  const avg = await averageGradients(b, grad);
  same(await avg.layers[0].weight.data(), new Array(6).fill((n + 1) / 2), "weight", 1e-6);
  same(await avg.layers[0].bias.data(), [(n - 1) / 2, 1], "tied bias", 1e-6);
  check(avg.layers[0].bias === avg.layers[1].weight, "tied gradients stay one tensor");
  same(avg.scale, [n - 1], "a typed array is averaged in place", 1e-12);
  check(avg.none === null, "null stays null");
  same(await grad.layers[0].bias.data(), [rank, 1], "the input tensor is left as it was");
});

test("DistributedDataContainer: contiguous shares that cover the data exactly once", async () => {
  for (const total of [10, n - 1, 3 * n + 1]) {
    if (total < 0) continue;
    const data = Array.from({ length: total }, (_, i) => i * 10);
    const shard = DistributedDataContainer(b, data);
    const seen = new Int32Array(Math.max(total, 1));
    const idx = shard.indices;
    for (let k = 0; k < shard.numobs(); k++) {
      check(shard.getobs(k) === data[idx[k]], "getobs maps to the share's indices");
      seen[idx[k]] += 1;
      if (k > 0) check(idx[k] === idx[k - 1] + 1, "share is contiguous");
    }
    await allreduce(b, seen, "sum");
    for (let i = 0; i < total; i++) check(seen[i] === 1, `obs ${i} seen ${seen[i]} times (total ${total})`);
    const counts = await allreduce(b, new Int32Array([shard.numobs()]), "max");
    check(counts[0] - Math.floor(total / n) <= 1, "shares differ by at most one");
  }
});

test("synchronize: a model tree takes root's values; tied weights stay tied", async () => {
  const tied = new Float32Array([rank, rank + 0.5]);
  const model = {
    layers: [
      { weight: new Float32Array([rank, 2 * rank, 3]), bias: new Float64Array([-rank]), act: "relu" },
      { weight: tied, scale: 1 + rank },
    ],
    head: { weight: tied },
  };
  const out = await synchronize(b, FluxDistributedModel(model), { root: 0 });
  same(out.layers[0].weight, [0, 0, 3], "weight");
  same(out.layers[0].bias, [-0], "bias");
  same(out.layers[1].weight, [0, 0.5], "tied weight");
  check(out.layers[1].scale === 1, `numbers are broadcast (got ${out.layers[1].scale})`);
  check(out.layers[0].act === "relu", "strings are kept");
  check(out.layers[1].weight === out.head.weight, "tied weights stay one array");
});

// Adam as Optimisers.jl writes it, on Float64Array (the test's own reference rule).
const Adam = (eta = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8) => ({
  init: (x) => ({ m: new Float64Array(x.length), v: new Float64Array(x.length), t: 0 }),
  apply(s, _x, dx) {
    const t = s.t + 1;
    const m = s.m.map((mi, i) => b1 * mi + (1 - b1) * dx[i]);
    const v = s.v.map((vi, i) => b2 * vi + (1 - b2) * dx[i] * dx[i]);
    const step = m.map((mi, i) => (eta * (mi / (1 - b1 ** t))) / (Math.sqrt(v[i] / (1 - b2 ** t)) + eps));
    return [{ m, v, t }, step];
  },
});

test("DistributedOptimizer(Adam) equals Adam on the averaged gradient", async () => {
  const grad = (r, k) => new Float64Array([r + 1 + k, -r * k, 0.5]);
  const x = new Float64Array([1, 2, 3]);
  const dist = DistributedOptimizer(b, Adam());
  const plain = Adam();
  let ds = dist.init(x);
  let ps = plain.init(x);
  for (let k = 0; k < 3; k++) {
    let dstep;
    [ds, dstep] = await dist.apply(ds, x, grad(rank, k));
    const avg = new Float64Array(3).map((_, i) => sumOver((r) => grad(r, k)[i]) / n);
    let pstep;
    [ps, pstep] = plain.apply(ps, x, avg);
    same(dstep, pstep, `step ${k}`, 1e-12);
  }
});

// Flux's data-parallel promise, end to end: with a mean loss and equal shares, averaging the shares'
// gradients IS the full-batch gradient, so N ranks running DistributedOptimizer(Adam) must land on the
// parameters one process reaches with plain Adam on the concatenated batch. Every rank also computes that
// one-process reference itself (no collectives), so the comparison needs no extra launch.
test("N-rank training (DistributedOptimizer(Adam), and updateInPlace + averageGradients) equals one process on the whole batch", async () => {
  // Imported here, not at the top, so a problem in these packages fails this case alone.
  const { assign, dispose, gradient, sub, tensor } = await import("@flux/kernels");
  const { Chain, Dense, logitcrossentropy, relu } = await import("@flux/layers");
  const { Adam: OptimAdam, setup, updateInPlace } = await import("@flux/optim");
  const [nin, nhid, nout, batch, steps, tol] = [5, 8, 3, 24, 4, 2e-5]; // 24: equal shares for 1,2,3,4 ranks
  check(batch % n === 0, `batch ${batch} is not divisible by ${n} ranks`);
  const xAll = Float32Array.from({ length: nin * batch }, (_, i) => Math.sin(0.37 * i + 0.1));
  const label = (j) => (j * 7) % nout;
  const init = (len, seed) => Float32Array.from({ length: len }, (_, i) => 0.4 * Math.sin(1.3 * i + seed));
  const makeModel = () =>
    Chain(
      Dense(tensor(init(nhid * nin, 1), [nhid, nin]), relu, { bias: tensor(init(nhid, 2), [nhid]) }),
      Dense(tensor(init(nout * nhid, 3), [nout, nhid]), undefined, { bias: tensor(init(nout, 4), [nout]) }),
    );
  const batchOf = (cols) => {
    const x = new Float32Array(nin * cols.length);
    const y = new Float32Array(nout * cols.length);
    cols.forEach((j, k) => {
      x.set(xAll.subarray(j * nin, (j + 1) * nin), k * nin);
      y[k * nout + label(j)] = 1;
    });
    return [tensor(x, [nin, cols.length]), tensor(y, [nout, cols.length])];
  };
  const params = (m) => m.layers.flatMap((l) => [l.weight, l.bias]);
  // The README's loop: updateInPlace(state, model, await averageGradients(b, grad)); with one process
  // (average: null) the same loop without the average.
  async function trainTree(average, cols) {
    const model = makeModel();
    const [x, y] = batchOf(cols);
    const state = setup(OptimAdam(0.01), model);
    for (let s = 0; s < steps; s++) {
      const [g] = gradient((m) => logitcrossentropy(m.forward(x), y), model);
      const avg = average ? await averageGradients(b, g) : g;
      updateInPlace(state, model, avg);
      dispose([g, avg]);
    }
    return Promise.all(params(model).map((p) => p.data()));
  }
  async function train(opt, cols) {
    const model = makeModel();
    const [x, y] = batchOf(cols);
    const states = params(model).map((p) => opt.init(p));
    for (let s = 0; s < steps; s++) {
      const [g] = gradient((m) => logitcrossentropy(m.forward(x), y), model);
      const grads = g.layers.flatMap((l) => [l.weight, l.bias]);
      for (const [k, p] of params(model).entries()) {
        let step;
        [states[k], step] = await opt.apply(states[k], p, grads[k]);
        assign(p, sub(p, step));
      }
    }
    return Promise.all(params(model).map((p) => p.data()));
  }
  const shard = DistributedDataContainer(
    b,
    Array.from({ length: batch }, (_, j) => j),
  );
  check(shard.numobs() === batch / n, `share of ${shard.numobs()}, expected ${batch / n}`);
  const dist = await train(DistributedOptimizer(b, OptimAdam(0.01)), [...shard.indices]);
  const whole = await train(
    OptimAdam(0.01),
    Array.from({ length: batch }, (_, j) => j),
  );
  const tree = await trainTree(true, [...shard.indices]);
  const treeWhole = await trainTree(
    false,
    Array.from({ length: batch }, (_, j) => j),
  );
  const start = params(makeModel());
  let moved = 0;
  for (const [k, w] of whole.entries()) {
    same(dist[k], w, `parameter ${k} after ${steps} steps`, tol);
    same(treeWhole[k], w, `one-process updateInPlace vs per-parameter Adam, parameter ${k}`, tol);
    same(tree[k], w, `averageGradients + updateInPlace, parameter ${k}`, tol);
    const w0 = await start[k].data();
    for (let i = 0; i < w.length; i++) moved = Math.max(moved, Math.abs(w[i] - w0[i]));
  }
  // The tolerance must be far below how far training moved the weights, or the comparison says nothing.
  check(moved > 100 * tol, `training barely moved the weights (max change ${moved})`);
  // All ranks applied the same averaged gradient, so they must agree bit for bit.
  const flat = Float32Array.from(dist.flatMap((d) => [...d]));
  const hi = await allreduce(b, Float32Array.from(flat), "max");
  same(await allreduce(b, flat, "min"), hi, "ranks disagree on the trained parameters");
});

let passed = 0;
let failed = 0;
for (const c of cases) {
  let why = "";
  try {
    await c.fn();
  } catch (e) {
    why = `${e?.message ?? e}`.split("\n")[0];
  }
  const verdict = await allreduce(b, new Int32Array([why ? 0 : 1]), "min");
  if (why) console.error(`rank ${rank}: ${c.name}: ${why}`);
  if (verdict[0] === 1) passed++;
  else failed++;
  if (rank === 0) console.log(`${verdict[0] === 1 ? "ok" : "FAIL"} ${c.name}${why ? `: ${why}` : ""}`);
}
if (rank === 0) console.log(`cases: ${passed} passed, ${failed} failed`);
