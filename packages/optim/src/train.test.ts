import {
  type Tensor,
  add,
  div,
  log,
  matmul,
  mean,
  memory,
  randn,
  rng,
  square,
  sub,
  tensor,
} from "@flux/kernels";
import { describe, expect, it } from "vitest";
import { Adam, Descent, NonFiniteLossError, OptimError, setup, train } from "./index.js";

function problem() {
  const r = rng(3);
  const x = randn([3, 16], { rng: r });
  const y = matmul(tensor([1, -2, 0.5], [1, 3]), x);
  const model = { weight: randn([1, 3], { rng: r }), bias: tensor([0], [1]) };
  const loss = (m: typeof model, xb: Tensor, yb: Tensor) =>
    mean(square(sub(add(matmul(m.weight, xb), m.bias), yb)));
  return { x, y, model, loss };
}

describe("train", () => {
  it("runs one update per batch, reports steps and losses, and leaks no tensors", async () => {
    const { x, y, model, loss } = problem();
    const state = setup(Adam(0.1), model);
    const seen: number[] = [];
    const counts: number[] = [];
    const data = Array.from({ length: 30 }, () => [x, y]);
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
});
