#!/usr/bin/env node
// Where a CPU training step spends its time, per backend op: the bench's LeNet-style CNN (or its
// 784-256-10 MLP) trained the README's way (withgradient, Adam through setup + updateInPlace, dispose),
// with every method of the CPU backend wrapped to add up the process CPU time it takes. CPU time, not wall
// time, so that the figures stay comparable on a shared, busy machine (waiting for a core is not counted);
// the step's wall time is printed too. Imports the BUILT packages: run `npx turbo run build` first.
//
// Usage: node tooling/scripts/profile-cpu-step.mjs [--model cnn|mlp] [--batch 64] [--threads 1] [--steps 40]
import { parseArgs } from "node:util";
import * as K from "@flux/kernels";
import * as L from "@flux/layers";
import * as O from "@flux/optim";

const { values } = parseArgs({
  options: {
    model: { type: "string", default: "cnn" },
    batch: { type: "string", default: "64" },
    threads: { type: "string", default: "1" },
    steps: { type: "string", default: "40" },
  },
});
const batch = Number(values.batch);
const steps = Number(values.steps);
if (!["cnn", "mlp"].includes(values.model) || !(batch >= 1) || !(steps >= 1)) {
  console.error("usage: profile-cpu-step.mjs [--model cnn|mlp] [--batch n] [--threads n] [--steps n]");
  process.exit(2);
}
K.setCpuThreads(Number(values.threads));
await K.cpuKernelsReady();

const gen = K.rng(1);
const cnn = values.model === "cnn";
const model = cnn
  ? L.Chain(
      L.Conv([3, 3], 1, 16, L.relu),
      L.MaxPool([2, 2]),
      L.Conv([3, 3], 16, 32, L.relu),
      L.MaxPool([2, 2]),
      L.flatten,
      L.Dense(800, 128, L.relu),
      L.Dense(128, 10),
    )
  : L.Chain(L.Dense(784, 256, L.relu), L.Dense(256, 10));
const x = K.randn(cnn ? [28, 28, 1, batch] : [784, batch], { rng: gen });
const labels = Array.from({ length: batch }, (_, j) => (j * 7) % 10);
const y = K.onehotbatch(labels, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
const state = O.setup(O.Adam(1e-3), model);

// Each backend method, keyed by its name, its op argument (when a string) and its first tensor's shape.
const backend = K.getBackendSync("cpu");
const proto = Object.getPrototypeOf(backend);
const totals = new Map();
let timing = false;
for (const name of Object.getOwnPropertyNames(proto)) {
  const method = proto[name];
  if (typeof method !== "function" || name === "constructor") continue;
  proto[name] = function (...args) {
    if (!timing) return method.apply(this, args);
    const start = process.cpuUsage();
    const result = method.apply(this, args);
    const used = process.cpuUsage(start);
    const view = args.find((a) => a?.shape);
    const key = `${name}${typeof args[0] === "string" ? `:${args[0]}` : ""}${view ? ` [${view.shape}]` : ""}`;
    const entry = totals.get(key) ?? { calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += (used.user + used.system) / 1000;
    totals.set(key, entry);
    return result;
  };
}

const step = () => {
  const { val, grad } = K.withgradient((m) => L.logitcrossentropy(L.apply(m, x), y), model);
  O.updateInPlace(state, model, grad[0]);
  K.dispose([val, grad]);
};
for (let i = 0; i < 20; i++) step(); // warm-up: JIT, buffer pool, caches
timing = true;
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
for (let i = 0; i < steps; i++) step();
const wall = (performance.now() - wall0) / steps;
const cpu = process.cpuUsage(cpu0);
timing = false;

const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
let sum = 0;
console.log(`${values.model} batch ${batch}, ${values.threads} thread(s), ${steps} steps; CPU ms per step:`);
for (const [key, { calls, ms }] of rows) {
  sum += ms / steps;
  if (ms / steps >= 0.05)
    console.log(`${(ms / steps).toFixed(3).padStart(8)}  ${String(calls / steps).padStart(3)}x  ${key}`);
}
const total = (cpu.user + cpu.system) / 1000 / steps;
console.log(
  `backend ops ${sum.toFixed(2)} ms of ${total.toFixed(2)} ms CPU per step; wall ${wall.toFixed(2)} ms`,
);
