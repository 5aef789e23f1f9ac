import { type Tensor, div, log, matmul, mean, memory, rng, square, sub, tensor } from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { Adam, Descent, Exp, NonFiniteLossError, OptimError, Step, setup, train } from "./index.js";
import { linearRegression } from "./linearRegression.testing.js";

/** The regression problem, and `batches(n)`: the whole data set `n` times, as `train`'s data. */
function problem() {
  const p = linearRegression(rng(3), tensor([1, -2, 0.5], [1, 3]), 16, [0]);
  const batches = (n: number) => Array.from({ length: n }, () => [p.x, p.y]);
  return { ...p, batches };
}

describe("train", () => {
  it("runs one update per batch, reports steps and losses, and leaks no tensors", async () => {
    const { model, loss, batches } = problem();
    const state = setup(Adam(0.1), model);
    const seen: number[] = [];
    const counts: number[] = [];
    const data = batches(30);
    await train(loss, model, data, state, {
      onStep: ({ step, loss: l }) => {
        seen.push(l);
        counts.push(memory().liveTensors);
        expect(step).toBe(seen.length - 1);
      },
    });
    expect(seen).toHaveLength(30);
    expect(seen[29]!).toBeLessThan(0.1 * seen[0]!);
    expect(new Set(counts.slice(1)).size).toBe(1); // flat after the first step
  });

  it("accepts async iterables and a single (non-array) batch", async () => {
    const { x, y, model } = problem();
    const state = setup(Descent(0.1), model);
    async function* batches() {
      for (let i = 0; i < 3; i++) yield x;
    }
    let steps = 0;
    await train((m, xb: Tensor) => mean(square(sub(matmul(m.weight, xb), y))), model, batches(), state, {
      onStep: () => {
        steps++;
      },
    });
    expect(steps).toBe(3);
  });

  it("throws NonFiniteLossError naming the step, skipping that update", async () => {
    const model = { w: tensor([1], [1]) };
    const state = setup(Descent(0.1), model);
    const data = [tensor([1], [1]), tensor([0], [1])];
    const before = memory().liveTensors;
    const err = await train(
      (m, d: Tensor) => mean(log(div(m.w, d))),
      model,
      data.map((d) => [d]),
      state,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect((err as NonFiniteLossError).step).toBe(1);
    expect((err as NonFiniteLossError).message).toMatch(/at step 1/);
    // step 0 updated w (d/dw log(w) = 1 at w = 1), step 1 did not
    expect(Array.from(model.w.dataSync())[0]).toBeCloseTo(0.9, 6);
    expect(memory().liveTensors).toBe(before);
  });

  it("refuses a rule in place of the state", async () => {
    const { model, loss } = problem();
    await expect(train(loss, model, [], Adam() as never)).rejects.toThrow(OptimError);
  });

  it("runs several epochs over re-iterable data, with onEpoch after each", async () => {
    const { model, loss, batches } = problem();
    const state = setup(Adam(0.05), model);
    const steps: [number, number, number][] = [];
    const epochs: [number, number][] = [];
    const result = await train(loss, model, batches(2), state, {
      epochs: 3,
      onStep: ({ step, epoch, batch }) => {
        steps.push([step, epoch, batch]);
      },
      onEpoch: ({ epoch, step, loss: l }) => {
        epochs.push([epoch, step]);
        expect(Number.isFinite(l)).toBe(true);
      },
    });
    expect(steps).toEqual([
      [0, 0, 0],
      [1, 0, 1],
      [2, 1, 0],
      [3, 1, 1],
      [4, 2, 0],
      [5, 2, 1],
    ]);
    expect(epochs).toEqual([
      [0, 2],
      [1, 4],
      [2, 6],
    ]);
    expect(result).toEqual({ step: 6, epoch: 3, stopped: false });
  });

  it("stops early when a callback returns 'stop' or calls stop()", async () => {
    const { model, loss, batches } = problem();
    const state = setup(Descent(0.01), model);
    const data = batches(5);
    let seen = 0;
    const byStep = await train(loss, model, data, state, {
      epochs: 4,
      onStep: ({ step }) => {
        seen++;
        return step === 6 ? "stop" : undefined;
      },
    });
    // step 6 is batch 1 of epoch 1: one whole epoch done, the second cut short
    expect([seen, byStep.step, byStep.epoch, byStep.stopped]).toEqual([7, 7, 1, true]);
    const byEpoch = await train(loss, model, data, state, {
      epochs: 4,
      onEpoch: ({ epoch, stop }) => {
        if (epoch === 1) stop();
      },
    });
    expect(byEpoch).toEqual({ step: 10, epoch: 2, stopped: true });
  });

  it("sets eta from a schedule of the 1-based step, or of the epoch", async () => {
    const { model, loss, batches } = problem();
    const state = setup(Adam(0.1), model);
    const eta = () => (state as unknown as { weight: { rule: { eta: number } } }).weight.rule.eta;
    const perStep: number[] = [];
    await train(loss, model, batches(2), state, {
      epochs: 2,
      schedule: Exp(0.1, 0.5),
      onStep: () => {
        perStep.push(eta());
      },
    });
    expect(perStep).toEqual([0.1, 0.05, 0.025, 0.0125]);
    const perEpoch: number[] = [];
    const byEpoch = (schedule: object) =>
      train(loss, model, batches(2), state, {
        epochs: 3,
        schedule: schedule as never,
        scheduleUnit: "epoch",
        onEpoch: () => {
          perEpoch.push(eta());
        },
      });
    // beta: a pair is not a schedule: refused before the first step
    await expect(byEpoch({ eta: Step(1, 0.1, 1), beta: [0.8, 0.9] })).rejects.toThrow(/beta/);
    expect(perEpoch).toEqual([]);
    await byEpoch({ eta: Step(1, 0.1, 1) });
    for (const [i, v] of [1, 0.1, 0.01].entries()) expect(perEpoch[i]).toBeCloseTo(v, 12);
  });

  it("resumes: epochs after resume.epoch, steps and schedules counted on from resume.step", async () => {
    const { model, loss, batches } = problem();
    const state = setup(Descent(0.1), model);
    const seen: [number, number][] = [];
    const result = await train(loss, model, batches(3), state, {
      epochs: 4,
      resume: { step: 6, epoch: 2 },
      schedule: (t) => 1 / t,
      onStep: ({ step, epoch }) => {
        seen.push([step, epoch]);
        expect((state as unknown as { weight: { rule: { eta: number } } }).weight.rule.eta).toBe(
          1 / (step + 1),
        );
      },
    });
    expect(seen).toEqual([
      [6, 2],
      [7, 2],
      [8, 2],
      [9, 3],
      [10, 3],
      [11, 3],
    ]);
    expect(result).toEqual({ step: 12, epoch: 4, stopped: false });
    await expect(train(loss, model, [], state, { epochs: 2, resume: { step: 0, epoch: 3 } })).rejects.toThrow(
      /past epochs/,
    );
  });

  it("refuses a one-shot iterator for several epochs", async () => {
    const { x, y, model, loss } = problem();
    function* once() {
      yield [x, y];
    }
    await expect(train(loss, model, once(), setup(Descent(), model), { epochs: 2 })).rejects.toThrow(
      /iterator/,
    );
  });
});
