#!/usr/bin/env node
// Data-parallel Fashion-MNIST training with @flux/distributed (Flux's DistributedUtils tutorial, ported).
// Every rank builds the model, takes rank 0's weights (synchronize), trains on its DistributedDataContainer
// share of the training set with @flux/optim's Adam, the gradient averaged over the ranks before each step
// (`updateInPlace(state, model, await averageGradients(b, grad))`: one allreduce per step for the whole
// model), and rank 0 prints the test accuracy after each epoch.
//
//   mpirun -n 2 node examples/fashion-mnist.mjs --data "$FLUX_FASHION_MNIST_DIR" --train 12000
//   node examples/fashion-mnist.mjs --threads 2 --data "$FLUX_FASHION_MNIST_DIR" --train 12000
//   node examples/fashion-mnist.mjs --data ...          (no launcher: a one-rank job, the baseline)
//
// Options: --data DIR (the four IDX files; default: the 10,000/1,000-image subset shipped in apps/demo/data),
// --train N (first N training images; default all of them),
// --epochs E (2), --batch B (global batch, 128; split evenly over the ranks), --lr (1e-3), --seed (1),
// --threads N (run N worker threads of this process instead of under mpirun).
// Run from packages/distributed after `npx turbo run build --filter=@flux/distributed... --filter=@flux/data...
// --filter=@flux/layers...`: it imports the BUILT packages, as a user would.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DataLoader, FashionMNIST, obsview } from "@flux/data";
import {
  allreduce,
  averageGradients,
  DistributedDataContainer,
  detectBackend,
  initialize,
  launchThreads,
  localRank,
  synchronize,
  totalWorkers,
} from "@flux/distributed";
import {
  dispose,
  onecold,
  onehotbatch,
  rng,
  setDefaultRng,
  selectdim,
  tidy,
  withgradient,
} from "@flux/kernels";
import { Chain, Dense, logitcrossentropy, relu } from "@flux/layers";
import { Adam, setup, updateInPlace } from "@flux/optim";

/** A usage error: one line on stderr, no stack trace, exit code 2. */
function usage(message) {
  console.error(`fashion-mnist: ${message}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
const opts = { data: "", train: Infinity, epochs: 2, batch: 128, lr: 1e-3, seed: 1, threads: 0 };
for (let i = 0; i < argv.length; i++) {
  const key = argv[i].replace(/^--/, "");
  if (!(key in opts) || argv[i] === key)
    usage(
      `unknown option ${argv[i]} (options: ${Object.keys(opts)
        .map((k) => `--${k}`)
        .join(", ")})`,
    );
  const value = argv[++i];
  opts[key] = key === "data" ? value : Number(value);
  if (key !== "data" && !(opts[key] >= 0)) usage(`--${key} needs a non-negative number, got ${value}`);
}
if (!opts.data) {
  // The subset the repository ships for the demo (10,000 training and 1,000 test images).
  const shipped = fileURLToPath(new URL("../../../apps/demo/data/", import.meta.url));
  if (!existsSync(`${shipped}train-images-idx3-ubyte.gz`))
    usage("pass --data DIR, the folder of the four Fashion-MNIST IDX files");
  opts.data = shipped;
}

if (opts.threads > 0) {
  // Every rank runs this file again with the same options minus --threads (so it does not launch again).
  const rest = argv.filter((a, i) => a !== "--threads" && argv[i - 1] !== "--threads");
  await launchThreads(opts.threads, new URL(import.meta.url), { argv: rest });
  process.exit(0);
}

const b = await initialize(detectBackend(), { timeoutMs: 300_000 });
const rank = localRank(b);
const n = totalWorkers(b);
const log = (...a) => rank === 0 && console.log(...a);
if (opts.batch % n !== 0)
  throw new Error(`fashion-mnist: --batch ${opts.batch} is not divisible by ${n} ranks`);

const train = await FashionMNIST({ dir: opts.data, split: "train", flatten: true });
const test = await FashionMNIST({ dir: opts.data, split: "test", flatten: true });
// Equal shares keep "average of the ranks' mean losses" equal to the mean loss of the global batch.
const available = Math.min(opts.train, train.targets.length);
const ntrain = available - (available % n);
const trainX = selectdim(train.features, 2, { start: 0, stop: ntrain });
const trainY = train.targets.subarray(0, ntrain);
const classes = Array.from({ length: 10 }, (_, i) => i);

// Each rank draws different initial weights on purpose: synchronize makes rank 0's the common start (and
// rank 0 draws what a one-process run with the same seed draws).
setDefaultRng(rng(opts.seed + rank));
let model = Chain(Dense(784, 128, relu), Dense(128, 10));
model = await synchronize(b, model, { root: 0 });
const state = setup(Adam(opts.lr), model);

const shard = DistributedDataContainer(b, obsview({ x: trainX, y: trainY }));
log(`${n} rank(s), ${ntrain} training images (${shard.numobs()} per rank), global batch ${opts.batch}`);

async function testAccuracy() {
  let correct = 0;
  for (let start = 0; start < test.targets.length; start += 2000) {
    const stop = Math.min(start + 2000, test.targets.length);
    const guess = tidy(() => onecold(model.forward(selectdim(test.features, 2, { start, stop }))));
    const g = await guess.data();
    guess.dispose();
    for (let i = 0; i < g.length; i++) if (g[i] === test.targets[start + i]) correct++;
  }
  return correct / test.targets.length;
}

for (let epoch = 1; epoch <= opts.epochs; epoch++) {
  const started = Date.now();
  const loader = DataLoader(obsview({ x: trainX, y: trainY }, shard.indices), {
    batchsize: opts.batch / n,
    shuffle: true,
    rng: rng(opts.seed * 1000 + epoch * 16 + rank),
  });
  let lossSum = 0;
  let batches = 0;
  for (const { x, y } of loader) {
    const { val, grad } = tidy(() => {
      const target = onehotbatch(y, classes);
      return withgradient((m) => logitcrossentropy(m.forward(x), target), model);
    });
    lossSum += (await val.data())[0];
    // The data-parallel step: every rank gets the mean of all ranks' gradients (one allreduce for the whole
    // model), then Adam updates the weights in place, identically on every rank.
    const avg = await averageGradients(b, grad[0]);
    updateInPlace(state, model, avg);
    dispose([val, grad, avg, x]);
    batches++;
  }
  const loss = await allreduce(b, new Float64Array([lossSum / batches]), "avg");
  if (rank === 0) {
    const acc = await testAccuracy();
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `epoch ${epoch}: train loss ${loss[0].toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)}% (${secs} s)`,
    );
  }
}
