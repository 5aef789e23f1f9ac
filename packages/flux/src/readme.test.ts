// The README example, kept runnable (on the CPU device) so the front page cannot drift from the code.
import { expect, it } from "vitest";
import {
  Adam,
  apply,
  Chain,
  cpuDevice,
  Dense,
  dispose,
  logitcrossentropy,
  memory,
  onecold,
  onehotbatch,
  randn,
  relu,
  rng,
  setDefaultRng,
  setup,
  tidy,
  updateInPlace,
  withgradient,
} from "./index.js";

it("README example: a Flux-style training loop through the umbrella alone", async () => {
  setDefaultRng(rng(7));
  const dev = cpuDevice(); // the README calls gpuDevice(); tests must not depend on an adapter
  const model = await dev(Chain(Dense(2, 16, relu), Dense(16, 2)));
  const x = await dev(randn([2, 256]));
  const labels = Array.from(
    (await x.data()).filter((_, i) => i % 2 === 0),
    (v) => (v > 0 ? 1 : 0),
  );
  const y = await dev(onehotbatch(labels, [0, 1]));

  const state = setup(Adam(0.01), model);
  const losses: number[] = [];
  const live = memory().liveTensors;
  for (let epoch = 0; epoch < 100; epoch++) {
    const { val, grad } = withgradient((m) => logitcrossentropy(apply(m, x), y), model);
    losses.push(await val.item());
    updateInPlace(state, model, grad[0]);
    dispose([val, grad]);
  }
  // The README's loop frees what each step made: nothing accumulates over 100 steps.
  expect(memory().liveTensors).toBe(live);
  const predicted = await tidy(() => onecold(apply(model, x))).data();
  const accuracy = predicted.filter((p, i) => p === labels[i]).length / 256;
  expect(losses.at(-1)!).toBeLessThan(losses[0]! / 3);
  expect(accuracy).toBeGreaterThan(0.95);
});
