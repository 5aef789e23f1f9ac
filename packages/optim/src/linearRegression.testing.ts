// The toy problem the optimiser tests train on: fit `y = W x` (plus a bias) by mean squared error. One
// definition, so the rule conformance suite and the `train` tests exercise the same model and loss.
import { type Rng, type Tensor, add, matmul, mean, randn, square, sub, tensor } from "@flux/kernels";

/**
 * Draws `samples` random inputs `x` ([in, samples]) from `r`, sets `y = wTrue x`, then draws a starting
 * weight of `wTrue`'s shape; `bias` is the starting bias. `loss(m, xb?, yb?)` is the mean squared error of
 * `m.weight xb .+ m.bias` against `yb` (the whole data set by default).
 */
export function linearRegression(r: Rng, wTrue: Tensor, samples: number, bias: number[]) {
  const [out, inn] = wTrue.shape as [number, number];
  const x = randn([inn, samples], { rng: r });
  const y = matmul(wTrue, x);
  const model = { weight: randn([out, inn], { rng: r }), bias: tensor(bias, [out]) };
  const loss = (m: typeof model, xb: Tensor = x, yb: Tensor = y) =>
    mean(square(sub(add(matmul(m.weight, xb), m.bias), yb)));
  return { x, y, model, loss };
}
