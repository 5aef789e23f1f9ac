import { describe, expect, it } from "vitest";
import { gradient, withgradient } from "./autodiff/gradient.js";
import { memory, tidy } from "./memory.js";
import { assign } from "./ops/convert.js";
import { randn, zeros } from "./ops/creation.js";
import { add, mul, sub } from "./ops/elementwise.js";
import { matmul } from "./ops/matmul.js";
import { onehotbatch } from "./ops/onehot.js";
import { mean, sum } from "./ops/reduce.js";
import { logsoftmax } from "./ops/softmax.js";
import { relu } from "./ops/unary.js";
import { rng } from "./rng.js";
import type { Tensor } from "./tensor.js";

type Mlp = { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor };

const forward = (m: Mlp, x: Tensor) => add(matmul(m.W2, relu(add(matmul(m.W1, x), m.b1))), m.b2);
const loss = (m: Mlp, x: Tensor, y: Tensor) =>
  mean(mul(sum(mul(logsoftmax(forward(m, x)), y), { dims: 1 }), -1));

describe("training a small MLP", () => {
  it("leaves memory().liveTensors where it started after 1000 SGD steps, and learns", () => {
    const r = rng(0);
    const m: Mlp = {
      W1: mul(randn([16, 4], { rng: r }), 0.5),
      b1: zeros([16]),
      W2: mul(randn([3, 16], { rng: r }), 0.5),
      b2: zeros([3]),
    };
    const x = randn([4, 32], { rng: r });
    // labels: a fixed function of the inputs so the MLP can fit them
    const xs = x.dataSync();
    const labels = Array.from({ length: 32 }, (_, j) => (xs[4 * j]! > 0 ? (xs[4 * j + 1]! > 0 ? 0 : 1) : 2));
    const y = onehotbatch(labels, [0, 1, 2]);
    const first = tidy(() => loss(m, x, y).itemSync());
    const start = memory().liveTensors;
    const startBytes = memory().liveBytes;
    for (let step = 0; step < 1000; step++) {
      const [g] = gradient((mm: Mlp) => loss(mm, x, y), m) as [Mlp];
      for (const k of ["W1", "b1", "W2", "b2"] as const) {
        tidy(() => assign(m[k], sub(m[k], mul(g[k], 0.1))));
        g[k].dispose();
      }
    }
    expect(memory().liveTensors).toBe(start);
    expect(memory().liveBytes).toBe(startBytes);
    // with every argument differentiated, x and y (float tensors) get gradients too, as in Zygote
    const { val, grad } = withgradient(loss, m, x, y);
    expect(grad).toHaveLength(3);
    const last = val.itemSync();
    val.dispose();
    for (const t of Object.values(grad[0] as Mlp)) t.dispose();
    (grad[1] as Tensor).dispose();
    (grad[2] as Tensor).dispose();
    expect(memory().liveTensors).toBe(start);
    expect(last).toBeLessThan(first * 0.5);
  });
});
