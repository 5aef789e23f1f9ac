import { fmap } from "@flux/functors";
import {
  add,
  gradient,
  ones,
  relu,
  sum,
  type Tensor,
  tensor,
  zeros,
  mean,
  vcat,
  randn,
  rng,
  setDefaultRng,
} from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  apply,
  BatchNorm,
  Chain,
  Conv,
  Dense,
  Dropout,
  Embedding,
  flatten,
  LayerInputError,
  LayerNorm,
  MaxPool,
  MeanPool,
  PairwiseFusion,
  Parallel,
  SamePad,
  SkipConnection,
  testmode,
  trainables,
  trainmode,
} from "../index.js";
import { withinGradient } from "@flux/kernels";

const arr = (t: Tensor) => Array.from(t.dataSync() as Float32Array);
const close = (a: number[], b: number[], tol = 1e-5) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => {
    expect(Math.abs(v - b[i]!)).toBeLessThan(tol);
  });
};

describe("Dense", () => {
  test("W*x .+ b with activation, by hand", () => {
    const W = tensor([
      [1, -2],
      [3, 4],
      [0, 1],
    ]); // [3, 2]
    const d = Dense(W, relu, { bias: tensor([0.5, -100, 1], [3]) });
    const y = d.forward(
      tensor([
        [1, 2],
        [1, 0],
      ]),
    ); // x columns [1,1] and [2,0]
    // column 1: [1-2+0.5, 3+4-100, 0+1+1] -> relu; column 2: [2+0.5, 6-100, 0+1]
    close(arr(y), [0, 0, 2, 2.5, 0, 1]);
    expect(y.shape).toEqual([3, 2]);
  });

  test("weight [out, in], glorot range, zero bias, new and call forms, input checks", () => {
    setDefaultRng(rng(1));
    const d = Dense(10, 5);
    expect(d.weight.shape).toEqual([5, 10]);
    const limit = Math.sqrt(6 / 15);
    expect(arr(d.weight).every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(arr(d.bias as Tensor)).toEqual([0, 0, 0, 0, 0]);
    expect(new Dense(2, 3)).toBeInstanceOf(Dense);
    expect(() => d.forward(zeros([4, 2]))).toThrow(LayerInputError);
    expect(d.forward(zeros([10, 3, 2])).shape).toEqual([5, 3, 2]);
    expect(Dense(3, 2, undefined, { bias: false }).bias).toBe(false);
  });
});

describe("Chain, functors and gradients", () => {
  test("fmap sees exactly the trainable fields; trainables lists ties once", () => {
    const d = Dense(3, 3);
    const m = Chain(d, relu, d, BatchNorm(3));
    expect(trainables(m)).toHaveLength(4);
    const copy = fmap((x: unknown) => x, m);
    expect(copy).not.toBe(m);
    expect(copy.get(0)).toBe(copy.get(2)); // tie survives
    expect(copy.forward).toBeTypeOf("function");
  });

  test("gradient through a Chain matches the hand-derived one", () => {
    const m = Chain(
      Dense(
        tensor([
          [2, 0],
          [0, 3],
        ]),
      ),
      Dense(tensor([[1, 1]])),
    );
    const x = tensor([1, 2], [2, 1]);
    const [g] = gradient((model: typeof m) => sum(model.forward(x)), m) as [any];
    // y = w2 * (W1 x + b1) + b2 ; dy/dW1 = w2' x' ; dy/dw2 = (W1 x + b1)' = [2, 6]
    close(arr(g.layers[0].weight), [1, 1, 2, 2]);
    close(arr(g.layers[1].weight), [2, 6]);
    close(arr(g.layers[1].bias), [1]);
    close(arr(g.layers[0].bias), [1, 1]);
  });

  test("named chains, get, apply", () => {
    const m = Chain({ enc: Dense(2, 3), act: relu });
    expect(m.get("act")).toBe(relu);
    expect(apply(m, ones([2, 4])).shape).toEqual([3, 4]);
    expect(() => Chain(42 as never)).toThrow(/not a layer/);
  });
});

describe("Conv and pooling", () => {
  test("a true convolution (flipped kernel) with bias, by hand", () => {
    const x = tensor(
      Float32Array.from({ length: 9 }, (_, i) => i + 1),
      [3, 3, 1, 1],
    );
    const w = tensor([1, 2, 3, 4], [2, 2, 1, 1]); // w[a,b] column-major
    const c = Conv([2, 2], 1, 1, undefined, { init: () => w, bias: tensor([10], [1]) });
    const y = c.forward(x);
    expect(y.shape).toEqual([2, 2, 1, 1]);
    // y[i,j] = sum_{a,b} x[i+a, j+b] * w[1-a, 1-b] + 10
    const X = (i: number, j: number) => i + 3 * j + 1;
    const W = (a: number, b: number) => [1, 2, 3, 4][a + 2 * b]!;
    const want: number[] = [];
    for (let j = 0; j < 2; j++)
      for (let i = 0; i < 2; i++) {
        let s = 10;
        for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) s += X(i + a, j + b) * W(1 - a, 1 - b);
        want.push(s);
      }
    close(arr(y), want);
  });

  test("shapes: pad, stride, SamePad, then pooling and flatten", () => {
    const x = randn([28, 28, 3, 2]);
    expect(Conv([3, 3], 3, 8, relu, { pad: 1 }).forward(x).shape).toEqual([28, 28, 8, 2]);
    expect(Conv([5, 5], 3, 4, undefined, { pad: SamePad() }).forward(x).shape).toEqual([28, 28, 4, 2]);
    expect(Conv([3, 3], 3, 4, undefined, { stride: 2 }).forward(x).shape).toEqual([13, 13, 4, 2]);
    const m = Chain(Conv([3, 3], 3, 4, relu), MaxPool([2, 2]), flatten, Dense(13 * 13 * 4, 10));
    expect(m.forward(x).shape).toEqual([10, 2]);
    expect(() => Conv([3, 3], 2, 4).forward(x)).toThrow(LayerInputError);
  });

  test("MaxPool and MeanPool values", () => {
    const x = tensor(
      Float32Array.from({ length: 16 }, (_, i) => i),
      [4, 4, 1, 1],
    );
    close(arr(MaxPool([2, 2]).forward(x)), [5, 7, 13, 15]);
    close(arr(MeanPool([2, 2]).forward(x)), [2.5, 4.5, 10.5, 12.5]);
  });
});

describe("normalisation and dropout", () => {
  test("BatchNorm: batch statistics in train mode, running ones in test mode", () => {
    const bn = trainmode(BatchNorm(2, undefined, { momentum: 0.5 }));
    const x = tensor([
      [1, 3, 5],
      [2, 2, 2],
    ]); // channel 1: mean 3, var 8/3; channel 2: constant
    const y = bn.forward(x);
    close(
      arr(y).filter((_, i) => i % 2 === 0),
      [-1, 0, 1].map((v) => (v * 2) / Math.sqrt(8 / 3 + 1e-5)),
      1e-4,
    );
    // running: mean = 0.5*0 + 0.5*[3, 2]; var = 0.5*1 + 0.5*(8/3 * 3/2) for channel 1, 0.5 + 0 for channel 2
    close(arr(bn.mean!), [1.5, 1]);
    close(arr(bn.var!), [0.5 + 0.5 * 4, 0.5]);
    testmode(bn);
    const yt = bn.forward(tensor([1.5, 1], [2, 1]));
    close(arr(yt), [0, 0], 1e-6);
    expect(trainables(bn)).toEqual([bn.beta, bn.gamma]);
    expect(() => trainmode(BatchNorm(2)).forward(zeros([2, 1]))).toThrow(/more than 1 value/);
  });

  test("BatchNorm rebuilt by fmap (as a device move does) still trains and tracks statistics", () => {
    const moved = fmap((t: unknown) => t, trainmode(BatchNorm(2, undefined, { momentum: 0.5 })));
    moved.forward(
      tensor([
        [1, 3, 5],
        [2, 2, 2],
      ]),
    );
    close(arr(moved.mean!), [1.5, 1]);
  });

  test("BatchNorm inside gradient: running statistics survive the call and keep updating", () => {
    const bn = trainmode(BatchNorm(2));
    const x = tensor([
      [1, 3, 5],
      [2, 2, 2],
    ]);
    const [g] = gradient((m: typeof bn) => sum(m.forward(x)), bn) as [{ gamma: Tensor }];
    expect(g.gamma.shape).toEqual([2]);
    expect(bn.mean!.isDisposed).toBe(false);
    close(arr(bn.mean!), [0.3, 0.2]);
    expect(withinGradient()).toBe(false);
  });

  test("LayerNorm normalises each column", () => {
    const y = LayerNorm(3).forward(
      tensor([
        [1, 10],
        [2, 20],
        [3, 60],
      ]),
    );
    const col1 = arr(y).slice(0, 3);
    close(
      col1,
      [-1, 0, 1].map((v) => v / Math.sqrt(2 / 3 + 1e-5)),
      1e-4,
    );
    close(arr(mean(y, { dims: 1 })), [0, 0], 1e-5);
  });

  test("Dropout: identity in test mode, zeros or 1/(1-p) in train mode", () => {
    const d = Dropout(0.5, { rng: rng(3) });
    const x = ones([100, 10]);
    expect(d.forward(x)).toBe(x);
    trainmode(d);
    const v = arr(d.forward(x));
    expect(v.every((e) => e === 0 || Math.abs(e - 2) < 1e-6)).toBe(true);
    const zerosShare = v.filter((e) => e === 0).length / v.length;
    expect(zerosShare).toBeGreaterThan(0.4);
    expect(zerosShare).toBeLessThan(0.6);
    expect(() => Dropout(1.5)).toThrow(/0 <= p <= 1/);
    expect(trainables(d)).toEqual([]);
  });
});

describe("Embedding, SkipConnection, Parallel", () => {
  test("Embedding picks columns (0-based) and takes one-hot input", () => {
    const e = Embedding(4, 2, {
      init: () =>
        tensor([
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ]),
    });
    close(arr(e.forward([3, 0])), [4, 8, 1, 5]);
    expect(e.forward(tensor([0, 1, 2, 3], [2, 2], { dtype: "i32" })).shape).toEqual([2, 2, 2]);
    close(arr(e.forward(tensor([[0], [0], [1], [0]]))), [3, 7]);
    expect(() => e.forward([4])).toThrow(/0-based/);
  });

  test("SkipConnection and Parallel combine outputs", () => {
    const d = Dense(tensor([[2]]), undefined, { bias: false });
    close(arr(SkipConnection(d, add).forward(tensor([3], [1, 1]))), [9]);
    const p = Parallel(vcat, Dense(1, 2), Dense(1, 3));
    expect(p.forward(ones([1, 4])).shape).toEqual([5, 4]);
    expect(p.forward(ones([1, 4]), ones([1, 4])).shape).toEqual([5, 4]);
    expect(() => p.forward(ones([1, 4]), ones([1, 4]), ones([1, 4]))).toThrow(LayerInputError);
  });

  test("PairwiseFusion feeds each layer connection(previous output, its input) and returns every output", () => {
    const twice = Dense(tensor([[2]]), undefined, { bias: false });
    const plusOne = Dense(tensor([[1]]), undefined, { bias: tensor([1]) });
    const m = PairwiseFusion(add, twice, plusOne);
    const [y1, y2] = m.forward(tensor([3], [1, 1]), tensor([10], [1, 1]));
    close(arr(y1!), [6]); // 2 * 3
    close(arr(y2!), [17]); // (6 + 10) + 1
    const [z1, z2] = m.forward(tensor([3], [1, 1])); // one input: every step sees it
    close(arr(z1!), [6]);
    close(arr(z2!), [10]); // (6 + 3) + 1
    expect(() => m.forward(ones([1, 1]), ones([1, 1]), ones([1, 1]))).toThrow(LayerInputError);
    // Its layers are children: fmap reaches the weights, and gradients flow through the fusion.
    const doubled = fmap(
      (x: unknown) => (x instanceof Object && "shape" in (x as object) ? mul2(x as Tensor) : x),
      m,
    );
    close(arr(doubled.forward(tensor([1], [1, 1]))[0]!), [4]);
    const g = gradient((mm: typeof m) => sum(mm.forward(tensor([3], [1, 1]))[1]!), m)[0] as {
      layers: { weight: Tensor }[];
    };
    close(arr(g.layers[0]!.weight), [3]); // d/dw1 of (w1 * 3 + 3) * 1 + 1
    close(arr(g.layers[1]!.weight), [9]); // w2's input is 6 + 3
  });
});

const mul2 = (x: Tensor): Tensor => add(x, x);
