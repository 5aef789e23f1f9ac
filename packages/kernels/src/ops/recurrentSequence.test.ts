// The fused recurrent layer ops (lstmSequence, gruSequence) against the same recurrence composed of ops,
// from one case list: values and gradients, central finite differences in f64, and no leaked tensors.
import { describe, expect, it } from "vitest";
import { numericGradient, worstMismatch } from "../../../../tooling/conformance/finiteDiff.js";
import { gradient } from "../autodiff/gradient.js";
import { cpuKernelsReady } from "../cpu/wasm/index.js";
import { DTypeError, ShapeError } from "../errors.js";
import { memory, tidy } from "../memory.js";
import { rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { cast } from "./convert.js";
import { randn, tensor, zeros } from "./creation.js";
import { add, mul } from "./elementwise.js";
import { dense } from "./fused.js";
import { composedGru, gruSequence } from "./gru.js";
import { composed, lstmSequence } from "./lstm.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";

/** A layer run on x, Wi, Wh, b and its initial states, giving its named outputs (y, h, and c for an LSTM). */
type Run = (x: Tensor, Wi: Tensor, Wh: Tensor, b: Tensor | null, states: Tensor[]) => Record<string, Tensor>;

interface Layer {
  name: string;
  /** Gates stacked in Wi, Wh and b. */
  gates: number;
  states: string[];
  outputs: string[];
  fused: Run;
  /** The input projection as a matmul or dense layer, then the recurrence from ops. */
  unfused: Run;
  /** [in, n, T, B, states shared by every sequence, with a bias] for the fused-against-unfused check. */
  shapes: (readonly [number, number, number, number, boolean, boolean])[];
  /** atol of the values and of the gradients (the fused gate passes compute in f32 with polynomial exp). */
  atol: readonly [number, number];
}

const layers: Layer[] = [
  {
    name: "lstmSequence",
    gates: 4,
    states: ["h0", "c0"],
    outputs: ["y", "h", "c"],
    fused: (x, Wi, Wh, b, [h0, c0]) => ({ ...lstmSequence(x, Wi, Wh, b, h0!, c0!) }),
    unfused: (x, Wi, Wh, b, [h0, c0]) => {
      const [inn, T, B] = x.shape as [number, number, number];
      const xp = dense(reshape(x, [inn, T * B]), Wi, b);
      return { ...composed(reshape(xp, [Wi.shape[0]!, T, B]), Wh, h0!, c0!) };
    },
    shapes: [
      [4, 5, 7, 3, false, true],
      [6, 16, 9, 4, true, false],
      [2, 3, 1, 1, false, true],
    ],
    atol: [2e-6, 2e-5],
  },
  {
    name: "gruSequence",
    gates: 3,
    states: ["h0"],
    outputs: ["y", "h"],
    fused: (x, Wi, Wh, b, [h0]) => ({ ...gruSequence(x, Wi, Wh, b, h0!) }),
    unfused: (x, Wi, Wh, b, [h0]) => {
      const [inn, T, B] = x.shape as [number, number, number];
      const xp = matmul(Wi, reshape(x, [inn, T * B]));
      return { ...composedGru(reshape(xp, [Wi.shape[0]!, T, B]), Wh, b, h0!) };
    },
    shapes: [
      [4, 5, 7, 3, false, true],
      [6, 16, 9, 4, true, false],
      [2, 3, 1, 1, true, true],
    ],
    atol: [1e-6, 1e-5],
  },
];

/**
 * The layer's arguments in gradient order, x, Wi, Wh, the states, then b, and a weight per output: a loss
 * that weighs every output differently, so a wrong cotangent anywhere shows.
 */
function inputs(
  layer: Layer,
  inn: number,
  n: number,
  T: number,
  B: number,
  seed: number,
  sharedState: boolean,
) {
  const g = rng(seed);
  const G = layer.gates * n;
  const args = [
    randn([inn, T, B], { rng: g }),
    mul(randn([G, inn], { rng: g }), 0.5),
    mul(randn([G, n], { rng: g }), 0.5),
    ...layer.states.map(() => randn(sharedState ? [n] : [n, B], { rng: g })),
    randn([G], { rng: g }),
  ];
  const shapes: Record<string, number[]> = { y: [n, T, B], h: [n, B], c: [n, B] };
  const w = Object.fromEntries(layer.outputs.map((o) => [o, randn(shapes[o]!, { rng: g })]));
  return { args, w };
}

/** Calls `run` on arguments in gradient order (x, Wi, Wh, states..., b), with or without the bias. */
function call(run: Run, args: Tensor[], withBias: boolean): Record<string, Tensor> {
  const [x, Wi, Wh, ...rest] = args;
  return run(x!, Wi!, Wh!, withBias ? rest[rest.length - 1]! : null, rest.slice(0, -1));
}

function lossOf(run: Run, w: Record<string, Tensor>, withBias: boolean) {
  return (...args: Tensor[]) => {
    const r = call(run, args, withBias);
    return Object.keys(w)
      .map((o) => sum(mul(r[o]!, w[o]!)))
      .reduce((a, b) => add(a, b));
  };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number) => {
  const m = worstMismatch(a, b, atol, rtol);
  expect(m.excess, `worst at ${m.index}: ${a[m.index]} vs ${b[m.index]}`).toBe(0);
};

describe.each(layers)("$name", (layer) => {
  const bias = layer.states.length + 3; // b's index in the arguments

  it("the fused CPU layer equals the unfused ops, values and gradients (f32)", async () => {
    await cpuKernelsReady();
    for (const [inn, n, T, B, shared, withBias] of layer.shapes) {
      tidy(() => {
        const { args, w } = inputs(layer, inn, n, T, B, n * 100 + T, shared);
        const a = call(layer.fused, args, withBias);
        const r = call(layer.unfused, args, withBias);
        for (const o of layer.outputs) close(a[o]!.dataSync(), r[o]!.dataSync(), layer.atol[0], 1e-5);
        const ga = gradient(lossOf(layer.fused, w, withBias), ...args) as (Tensor | null)[];
        const gb = gradient(lossOf(layer.unfused, w, withBias), ...args) as (Tensor | null)[];
        for (let k = 0; k < args.length; k++) {
          if (k === bias && !withBias) {
            expect(ga[k]).toBeNull();
            continue;
          }
          expect(ga[k]!.shape).toEqual(gb[k]!.shape);
          close(ga[k]!.dataSync(), gb[k]!.dataSync(), layer.atol[1], 1e-4);
        }
      });
    }
  });

  it("its gradients match central finite differences in f64", () => {
    tidy(() => {
      const f = inputs(layer, 3, 3, 4, 2, 7, false);
      const as64 = (t: Tensor) => cast(t, "f64");
      const w = Object.fromEntries(Object.entries(f.w).map(([o, t]) => [o, as64(t)]));
      const args = f.args.map(as64);
      const loss = lossOf(layer.fused, w, true);
      const grads = gradient(loss, ...args) as Tensor[];
      const shapes = args.map((t) => t.shape);
      const numeric = numericGradient(
        (xs) => tidy(() => loss(...xs.map((v, k) => tensor(v, shapes[k]!, { dtype: "f64" }))).dataSync()[0]!),
        args.map((t) => Float64Array.from(t.dataSync())),
      );
      for (let k = 0; k < args.length; k++) close(grads[k]!.dataSync(), numeric[k]!, 1e-7, 1e-6);
    });
  });

  it("leaves no tensors behind, with or without a gradient", () => {
    const { args } = inputs(layer, 3, 4, 6, 3, 5, true);
    const before = memory().liveTensors;
    for (const t of Object.values(call(layer.fused, args, true))) t.dispose();
    const withWh = (W: Tensor, b: Tensor) => {
      const a = [...args];
      a[2] = W;
      a[bias] = b;
      return sum(call(layer.fused, a, true).y!);
    };
    const g = gradient(withWh, args[2]!, args[bias]!);
    for (const t of g) (t as Tensor).dispose();
    expect(memory().liveTensors).toBe(before);
  });
});

describe("lstmSequence", () => {
  it("only the last cell state in the loss still reaches every input", () => {
    tidy(() => {
      const [lstm] = layers;
      const { args } = inputs(lstm!, 3, 4, 5, 2, 11, false);
      const via =
        (run: Run) =>
        (...a: Tensor[]) =>
          sum(call(run, a, true).c!);
      const ga = gradient(via(lstm!.fused), ...args);
      const gb = gradient(via(lstm!.unfused), ...args);
      for (let k = 0; k < 6; k++)
        close((ga[k] as Tensor).dataSync(), (gb[k] as Tensor).dataSync(), 2e-5, 1e-4);
    });
  });

  it("names wrong shapes and dtypes", () => {
    tidy(() => {
      const x = zeros([3, 4, 2]);
      const Wi = zeros([8, 3]);
      const Wh = zeros([8, 2]);
      const s = zeros([2]);
      expect(() => lstmSequence(x, Wi, zeros([8, 3]), null, s, s)).toThrow(ShapeError);
      expect(() => lstmSequence(x, zeros([8, 4]), Wh, null, s, s)).toThrow(/Wi must be \[8, 3\]/);
      expect(() => lstmSequence(zeros([3, 4]), Wi, Wh, null, s, s)).toThrow(/x must be \[in, steps, batch\]/);
      expect(() => lstmSequence(x, Wi, Wh, zeros([4]), s, s)).toThrow(/b must be \[8\]/);
      expect(() => lstmSequence(x, Wi, Wh, null, zeros([2, 3]), s)).toThrow(/h0 must be \[2\] or \[2, 2\]/);
      expect(() => lstmSequence(x, Wi, Wh, null, s, zeros([2], { dtype: "f64" }))).toThrow(DTypeError);
    });
  });
});

describe("gruSequence", () => {
  it("names wrong shapes", () => {
    tidy(() => {
      const x = zeros([3, 4, 2]);
      expect(() => gruSequence(x, zeros([6, 3]), zeros([8, 2]), null, zeros([2]))).toThrow(ShapeError);
      expect(() => gruSequence(x, zeros([6, 4]), zeros([6, 2]), null, zeros([2]))).toThrow(
        /Wi must be \[6, 3\]/,
      );
      expect(() => gruSequence(x, zeros([6, 3]), zeros([6, 2]), null, zeros([3]))).toThrow(
        /h0 must be \[2\] or \[2, 2\]/,
      );
    });
  });
});
