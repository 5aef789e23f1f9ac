// Fashion-MNIST, CPU half: the Fashion-MNIST MLP of Flux's model zoo trained on the REAL data with @flux/data's
// DataLoader, @flux/optim's Adam and `train`, and @flux/layers' Chain/Dense/logitcrossentropy.
//
// The target is ≥ 0.87 test accuracy after 3 epochs (sklearn's MLPClassifier reaches 0.87-0.88). The plain recipe (raw [0,1] pixels, Adam 1e-3, batch
// 128) stops short of that: an independent numpy implementation (../reference/mlp_reference.py) reaches
// 0.862-0.868 for seeds 0-3, as ours does. Two standard steps fix it: pixels standardised with the training
// set's mean and deviation, and Adam(2e-3) lowered to 6e-4 for the last epoch (Flux's `adjust!`). The same
// reference then reaches 0.879, 0.879, 0.881 (seeds 0-2), clear of 0.87.
import { div, mean, memory, rng, square, sub, type Tensor } from "@flux/kernels";
import { DataLoader } from "@flux/data";
import { logitcrossentropy } from "@flux/layers";
import { Adam, adjustInPlace, setup, train } from "@flux/optim";
import { describe, expect, it } from "vitest";
import { type Mlp, accuracy, buildMlp, haveFashionMnist, loadSplit } from "./fixtures.js";

describe.skipIf(!haveFashionMnist)("Fashion-MNIST MLP on the CPU (real data)", () => {
  it("reaches ≥ 0.87 test accuracy in 3 epochs (784-256-10, relu, Adam, batch 128)", async () => {
    const started = performance.now();
    const trainSet = await loadSplit("train");
    const testSet = await loadSplit("test");
    expect(trainSet.x.shape).toEqual([784, 60000]);
    const standardise = pixelStandardiser(trainSet.x);
    const [x, xTest] = [standardise(trainSet.x), standardise(testSet.x)];

    const model = buildMlp(1);
    const state = setup(Adam(2e-3), model);
    // buffer: true frees each sliced batch when the next is requested (train never frees batch tensors).
    const loader = DataLoader([x, trainSet.y], {
      batchsize: 128,
      shuffle: true,
      rng: rng(2),
      buffer: true,
    });
    const loss = (m: Mlp, x: Parameters<Mlp["forward"]>[0], y: typeof x) =>
      logitcrossentropy(m.forward(x), y);

    const liveAfterEpoch: number[] = [];
    const epochLosses: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      if (epoch === 2) adjustInPlace(state, { eta: 6e-4 });
      let sum = 0;
      let steps = 0;
      await train(loss, model, loader, state, {
        onStep: ({ loss }) => {
          sum += loss;
          steps++;
        },
      });
      expect(steps).toBe(469);
      epochLosses.push(sum / steps);
      liveAfterEpoch.push(memory("cpu").liveTensors);
    }
    const acc = await accuracy(model, xTest, testSet.labels);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[integration] CPU Fashion-MNIST: mean loss per epoch ${epochLosses.map((l) => l.toFixed(4)).join(", ")}; ` +
        `test accuracy ${acc.toFixed(4)}; ${seconds.toFixed(1)} s (load + 3 epochs + eval)`,
    );

    expect(acc).toBeGreaterThanOrEqual(0.87);
    expect(epochLosses[2]!).toBeLessThan(epochLosses[0]!);
    // Training leaks nothing: the live tensor count is the same after every epoch.
    expect(new Set(liveAfterEpoch).size).toBe(1);
  }, 300_000);
});

/** Scales pixels to zero mean and unit deviation, with statistics taken from the training set only. */
function pixelStandardiser(train: Tensor): (x: Tensor) => Tensor {
  const mu = mean(train).itemSync();
  const sd = Math.sqrt(mean(square(sub(train, mu))).itemSync());
  return (x) => div(sub(x, mu), sd);
}
