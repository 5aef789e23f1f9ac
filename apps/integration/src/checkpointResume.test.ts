// A run saved by `saveCheckpoint` after some epochs and resumed by `loadCheckpoint` into a
// freshly built model, a fresh optimiser state and fresh generators continues EXACTLY as the uninterrupted
// run: the same loss at every step, the same weights at the end (same seed). The run uses every source of
// state a checkpoint must carry: Adam's moments and βᵗ, a learning-rate schedule, a shuffling DataLoader,
// an augmentation transform inside it and Dropout drawing from the default generator.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { augment, DataLoader, randomFlip } from "@flux/data";
import { defaultRng, onehotbatch, randn, rng, setDefaultRng, type Tensor } from "@flux/kernels";
import {
  apply,
  Chain,
  Dense,
  Dropout,
  type LayerLike,
  loadCheckpoint,
  logitcrossentropy,
  relu,
  saveCheckpoint,
} from "@flux/layers";
import { Adam, CosAnneal, setup, train, Warmup } from "@flux/optim";
import { describe, expect, it } from "vitest";

const EPOCHS = 4;
const BATCHES = 4; // 64 observations, batch size 16

/** A small classification problem; its "images" are 2×2, so randomFlip mirrors them. */
function problem() {
  const x = randn([4, 64], { rng: rng(7) });
  const labels = Array.from(x.dataSync().subarray(0, 64), (_, i) => i % 3);
  return { x, y: onehotbatch(labels, [0, 1, 2]) };
}

/** Everything a run builds from seeds: model, state, loader and its generators. */
function build(seed: number) {
  setDefaultRng(rng(seed)); // initial weights, then Dropout's masks
  const model = Chain(Dense(4, 16, relu), Dropout(0.2), Dense(16, 3)) as LayerLike;
  const optState = setup(Adam(0.01), model);
  const shuffle = rng(seed + 1);
  const flips = rng(seed + 2);
  const { x, y } = problem();
  const images = augment(randomFlip({ image: [2, 2], rng: flips }), x);
  const loader = DataLoader([images, y], { batchsize: 16, shuffle: true, rng: shuffle, buffer: true });
  return { model, optState, loader, rngs: { shuffle, flips, dropout: defaultRng() } };
}

const schedule = Warmup(CosAnneal({ l0: 0.01, l1: 1e-4, period: (EPOCHS - 1) * BATCHES, restart: false }), {
  steps: BATCHES,
});
const loss = (m: LayerLike, x: Tensor, y: Tensor) => logitcrossentropy(apply(m, x), y);
const weights = (m: LayerLike) =>
  (m as unknown as { layers: { weight?: Tensor }[] }).layers.flatMap((l) =>
    l.weight ? Array.from(l.weight.dataSync()) : [],
  );

describe("checkpoint and resume", () => {
  it("continues exactly as the uninterrupted run: same losses, same weights", async () => {
    const whole = build(1);
    const wholeLosses: number[] = [];
    const result = await train(loss, whole.model, whole.loader, whole.optState, {
      epochs: EPOCHS,
      schedule,
      onStep: ({ loss: l }) => {
        wholeLosses.push(l);
      },
    });
    expect(result).toEqual({ step: EPOCHS * BATCHES, epoch: EPOCHS, stopped: false });

    // The same run, stopped after two epochs with a checkpoint...
    const path = join(mkdtempSync(join(tmpdir(), "flux-resume-")), "run.safetensors");
    const first = build(1);
    const firstLosses: number[] = [];
    const stopped = await train(loss, first.model, first.loader, first.optState, {
      epochs: EPOCHS,
      schedule,
      onStep: ({ loss: l }) => {
        firstLosses.push(l);
      },
      onEpoch: async ({ epoch, step }) => {
        if (epoch < 1) return;
        await saveCheckpoint(path, {
          model: first.model,
          optState: first.optState,
          step,
          epoch: epoch + 1,
          rng: first.rngs,
          extra: { note: "after two epochs" },
        });
        return "stop";
      },
    });
    expect(stopped).toEqual({ step: 2 * BATCHES, epoch: 2, stopped: true });

    // ...then resumed in a "new process": everything built from OTHER seeds, then loaded.
    const resumed = build(1000);
    expect(weights(resumed.model)).not.toEqual(weights(first.model));
    const ck = await loadCheckpoint(path, {
      model: resumed.model,
      optState: resumed.optState,
      rng: resumed.rngs,
    });
    expect([ck.step, ck.epoch, ck.extra]).toEqual([2 * BATCHES, 2, { note: "after two epochs" }]);
    const laterLosses: number[] = [];
    const end = await train(loss, resumed.model, resumed.loader, resumed.optState, {
      epochs: EPOCHS,
      schedule,
      resume: ck,
      onStep: ({ loss: l }) => {
        laterLosses.push(l);
      },
    });
    expect(end).toEqual(result);
    expect([...firstLosses, ...laterLosses]).toEqual(wholeLosses);
    expect(weights(resumed.model)).toEqual(weights(whole.model));
  });
});
