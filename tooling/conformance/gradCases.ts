// Differentiable op cases for the gradient checks. Each case draws its parameters (shapes, broadcast
// patterns, dims, strides...) from fast-check, says what input tensors it needs and in which value domain
// (away from kinks and poles so that finite differences are meaningful), and builds the op's output.
import * as k from "@flux/kernels";
import type { Tensor } from "@flux/kernels";
import fc from "fast-check";
import { unaryFunction } from "./valueCases.js";

/** Maps a uniform sample in [-1, 1) into an op's valid, smooth domain. */
export type Domain = (u: number) => number;

export const anyReal: Domain = (u) => 2 * u;
export const positive: Domain = (u) => 0.5 + 1.5 * (u + 1);
export const awayFromZero: Domain = (u) => Math.sign(u || 1) * (0.2 + 1.8 * Math.abs(u));
/** The domains an op declaration names (UnaryOpSpec.domain). */
export const DOMAINS: Record<k.OpDomain, Domain> = { real: anyReal, positive, awayFromZero };

/** One input tensor of a case. */
export interface InputSpec {
  readonly shape: readonly number[];
  readonly domain?: Domain;
}

/** A differentiable case: parameters `P` drawn by `params`, inputs described by `inputs`, output by `f`. */
export interface GradCase<P = any> {
  readonly name: string;
  readonly params: fc.Arbitrary<P>;
  readonly inputs: (p: P) => readonly InputSpec[];
  readonly f: (p: P, ...xs: Tensor[]) => Tensor;
}

const dim = fc.integer({ min: 1, max: 3 });
const shapeArb = fc.array(dim, { minLength: 0, maxLength: 3 });
const shapeArb1 = fc.array(dim, { minLength: 1, maxLength: 3 });

/** A shape and a broadcast-compatible partner: some dims set to 1, maybe trailing dims dropped. */
const broadcastPair = fc
  .tuple(
    shapeArb,
    fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    fc.integer({ min: 0, max: 3 }),
    fc.boolean(),
  )
  .map(([s, ones, drop, swap]) => {
    const other = s.map((d, i) => (ones[i] ? 1 : d)).slice(0, Math.max(0, s.length - drop));
    return swap ? { a: other, b: s } : { a: s, b: other };
  });

/** A shape and a subset of its 1-based dims (possibly including one beyond its rank). */
const shapeAndDims = fc
  .tuple(shapeArb1, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }))
  .map(([s, pick]) => ({
    s,
    dims: pick.map((p, i) => (p ? i + 1 : 0)).filter((d) => d > 0 && d <= s.length + 1),
  }));

function unary(name: string, f: (x: Tensor) => Tensor, domain: Domain = anyReal): GradCase<number[]> {
  return { name, params: shapeArb, inputs: (s) => [{ shape: s, domain }], f: (_s, x) => f(x!) };
}

function binary(
  name: string,
  f: (a: Tensor, b: Tensor) => Tensor,
  da: Domain = anyReal,
  db: Domain = anyReal,
): GradCase {
  return {
    name: `${name} (broadcast)`,
    params: broadcastPair,
    inputs: (p: { a: number[]; b: number[] }) => [
      { shape: p.a, domain: da },
      { shape: p.b, domain: db },
    ],
    f: (_p, a, b) => f(a!, b!),
  };
}

function reduction(
  name: string,
  f: (x: Tensor, o?: k.ReduceOptions) => Tensor,
  domain: Domain = anyReal,
): GradCase {
  return {
    name,
    params: shapeAndDims,
    inputs: (p: { s: number[] }) => [{ shape: p.s, domain }],
    f: (p: { dims: number[] }, x) => (p.dims.length === 0 ? f(x!) : f(x!, { dims: p.dims })),
  };
}

const matmulParams = fc.record({
  m: dim,
  kk: dim,
  n: dim,
  batch: fc.constantFrom<number[]>([], [2], [2, 2]),
  shared: fc.constantFrom("none", "a", "b"),
  transA: fc.boolean(),
  transB: fc.boolean(),
});

const convParams = fc
  .record({
    W: fc.integer({ min: 3, max: 5 }),
    H: fc.integer({ min: 3, max: 5 }),
    C: fc.integer({ min: 1, max: 2 }),
    N: fc.integer({ min: 1, max: 2 }),
    Cout: fc.integer({ min: 1, max: 2 }),
    kw: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }),
    pad: fc.integer({ min: 0, max: 1 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    flipped: fc.boolean(),
  })
  .filter((p) => p.W + 2 * p.pad > p.dilation * (p.kw - 1) && p.H + 2 * p.pad > p.dilation * (p.kh - 1));

const poolParams = fc.record({
  W: fc.integer({ min: 2, max: 5 }),
  H: fc.integer({ min: 2, max: 5 }),
  C: fc.integer({ min: 1, max: 2 }),
  N: fc.integer({ min: 1, max: 2 }),
  window: fc.integer({ min: 1, max: 2 }),
  stride: fc.integer({ min: 1, max: 2 }),
  pad: fc.integer({ min: 0, max: 1 }),
});

export const GRAD_CASES: readonly GradCase[] = [
  // every declared unary op with a gradient, sampled in its declared domain (opNames.ts), then parameters
  ...k.UNARY_OPS.filter((op) => !k.UNARY_OP_SPECS[op].zeroGradient).map((op) =>
    unary(op, unaryFunction(op), DOMAINS[k.UNARY_OP_SPECS[op].domain ?? "real"]),
  ),
  unary("leakyrelu a=0.2", (x) => k.leakyrelu(x, 0.2), awayFromZero),
  unary("elu α=1.5", (x) => k.elu(x, 1.5), awayFromZero),
  binary("add", k.add),
  binary("sub", k.sub),
  binary("mul", k.mul),
  binary("div", k.div, anyReal, awayFromZero),
  binary("pow", k.pow, positive, anyReal),
  binary("maximum", k.maximum),
  binary("minimum", k.minimum),
  {
    name: "mul by a number",
    params: shapeArb,
    inputs: (s: number[]) => [{ shape: s }],
    f: (_s, x) => k.add(k.mul(x!, 3), 1),
  },
  {
    name: "where",
    params: broadcastPair,
    inputs: (p: { a: number[]; b: number[] }) => [{ shape: p.a }, { shape: p.b }],
    f: (_p, a, b) => k.where(k.gt(a!, 0), a!, b!),
  },
  reduction("sum", k.sum),
  reduction("mean", k.mean),
  reduction("max", k.max),
  reduction("min", k.min),
  reduction("prod", k.prod, awayFromZero),
  {
    name: "matmul (batched, transposes, shared operands)",
    params: matmulParams,
    inputs: (p) => {
      const a = p.transA ? [p.kk, p.m] : [p.m, p.kk];
      const b = p.transB ? [p.n, p.kk] : [p.kk, p.n];
      return [
        { shape: p.shared === "a" ? a : [...a, ...p.batch] },
        { shape: p.shared === "b" ? b : [...b, ...p.batch] },
      ];
    },
    f: (p, a, b) => k.matmul(a!, b!, { transA: p.transA, transB: p.transB }),
  },
  {
    name: "matmul matrix-vector",
    params: fc.tuple(dim, dim),
    inputs: ([m, n]: [number, number]) => [{ shape: [m, n] }, { shape: [n] }],
    f: (_p, a, b) => k.matmul(a!, b!),
  },
  {
    name: "softmax",
    params: fc.tuple(shapeArb1, fc.integer({ min: 1, max: 3 })),
    inputs: ([s]: [number[], number]) => [{ shape: s }],
    f: ([, d]: [number[], number], x) => k.softmax(x!, { dims: d }),
  },
  {
    name: "logsoftmax",
    params: fc.tuple(shapeArb1, fc.integer({ min: 1, max: 3 })),
    inputs: ([s]: [number[], number]) => [{ shape: s }],
    f: ([, d]: [number[], number], x) => k.logsoftmax(x!, { dims: d }),
  },
  {
    name: "layernorm",
    params: fc.tuple(shapeArb1, fc.integer({ min: 1, max: 3 })),
    inputs: ([s]: [number[], number]) => [{ shape: s }],
    f: ([s, d]: [number[], number], x) => k.layernorm(x!, { dims: Math.min(d, s.length) }),
  },
  {
    // Fused with the affine part on the CPU, layernorm then mul and add elsewhere.
    name: "layernorm with scale and bias (LayerNorm's affine part)",
    params: fc.tuple(shapeArb1, fc.integer({ min: 1, max: 3 }), fc.boolean()),
    inputs: ([s, d]: [number[], number, boolean]) => {
      const normalised = s.slice(0, Math.min(d, s.length));
      return [{ shape: s }, { shape: normalised }, { shape: normalised }];
    },
    f: ([s, d, withBias]: [number[], number, boolean], x, scale, bias) =>
      k.layernorm(x!, { dims: Math.min(d, s.length), scale: scale!, bias: withBias ? bias! : null }),
  },
  {
    name: "reshape",
    params: shapeArb1,
    inputs: (s: number[]) => [{ shape: s }],
    f: (_s, x) =>
      k.mul(k.reshape(x!, [-1]), k.arange(x!.size, undefined, 1, { device: x!.device, dtype: x!.dtype })),
  },
  {
    name: "transpose",
    params: fc.tuple(dim, dim),
    inputs: ([m, n]: [number, number]) => [{ shape: [m, n] }],
    f: (_p, x) => k.transpose(x!),
  },
  {
    name: "permutedims",
    params: fc.tuple(fc.tuple(dim, dim, dim), fc.constantFrom([1, 2, 3], [3, 1, 2], [2, 3, 1], [3, 2, 1])),
    inputs: ([s]: [number[], number[]]) => [{ shape: s }],
    f: ([, perm]: [number[], number[]], x) => k.permutedims(x!, perm),
  },
  {
    name: "selectdim",
    params: fc.tuple(
      fc.tuple(dim, dim, dim),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    ),
    inputs: ([s]: [number[], number, number[]]) => [{ shape: s }],
    f: ([s, d, idx]: [number[], number, number[]], x) =>
      k.selectdim(
        x!,
        d,
        idx.map((i) => i % s[d - 1]!),
      ),
  },
  {
    name: "selectobs (drops the last dim)",
    params: fc.tuple(fc.tuple(dim, dim), fc.nat()),
    inputs: ([s]: [number[], number]) => [{ shape: s }],
    f: ([s, i]: [number[], number], x) => k.selectobs(x!, i % s[1]!),
  },
  {
    name: "cat",
    params: fc.tuple(fc.tuple(dim, dim), dim, fc.integer({ min: 1, max: 3 })),
    inputs: ([s, extra, d]: [number[], number, number]) => [
      { shape: s },
      {
        shape: s
          .map((v, i) => (i === d - 1 ? extra : v))
          .concat(d > 2 ? [extra] : [])
          .slice(0, Math.max(2, d)),
      },
    ],
    f: ([, , d]: [number[], number, number], a, b) => k.cat([a!, b!], d),
  },
  {
    name: "conv (stride, pad, dilation, flipped)",
    params: convParams,
    inputs: (p) => [{ shape: [p.W, p.H, p.C, p.N] }, { shape: [p.kw, p.kh, p.C, p.Cout] }],
    f: (p, x, w) =>
      k.conv(x!, w!, { stride: p.stride, pad: p.pad, dilation: p.dilation, flipped: p.flipped }),
  },
  {
    // Fused on the CPU (bias and activation as the convolution's epilogue). Positive inputs keep relu off
    // its kink, where finite differences would not agree with any derivative.
    name: "convBiasAct (conv .+ b, relu or identity; fused forward and backward)",
    params: fc.tuple(convParams, fc.constantFrom("relu", "identity")),
    inputs: ([p]: [typeof convParams extends fc.Arbitrary<infer P> ? P : never, string]) => [
      { shape: [p.W, p.H, p.C, p.N], domain: positive },
      { shape: [p.kw, p.kh, p.C, p.Cout], domain: positive },
      { shape: [p.Cout], domain: positive },
    ],
    f: ([p, act], x, w, b) =>
      k.convBiasAct(x!, w!, b!, act as k.FusedActivation, {
        stride: p.stride,
        pad: p.pad,
        dilation: p.dilation,
        flipped: p.flipped,
      }),
  },
  {
    name: "maxpool",
    params: poolParams.filter(
      (p) => p.W + 2 * p.pad >= p.window && p.H + 2 * p.pad >= p.window && p.pad < p.window,
    ),
    inputs: (p) => [{ shape: [p.W, p.H, p.C, p.N] }],
    f: (p, x) => k.maxpool(x!, p.window, { stride: p.stride, pad: p.pad }),
  },
  {
    name: "meanpool",
    params: poolParams.filter((p) => p.W + 2 * p.pad >= p.window && p.H + 2 * p.pad >= p.window),
    inputs: (p) => [{ shape: [p.W, p.H, p.C, p.N] }],
    f: (p, x) => k.meanpool(x!, p.window, { stride: p.stride, pad: p.pad }),
  },
  {
    name: "dropout (fixed rng)",
    params: fc.tuple(shapeArb1, fc.constantFrom(0, 0.3, 0.7)),
    inputs: ([s]: [number[], number]) => [{ shape: s }],
    f: ([, p]: [number[], number], x) => k.dropout(x!, p, { rng: k.rng(7) }),
  },
  {
    name: "muladd (three broadcast tensors)",
    params: broadcastPair,
    inputs: (p: { a: number[]; b: number[] }) => [{ shape: p.a }, { shape: p.b }, { shape: p.a }],
    f: (_p, a, x, b) => k.muladd(a!, x!, b!),
  },
  {
    name: "muladd with fused tanh (broadcast tensors)",
    params: broadcastPair,
    inputs: (p: { a: number[]; b: number[] }) => [{ shape: p.b }, { shape: p.a }, { shape: p.b }],
    f: (_p, a, x, b) => k.muladd(a!, x!, b!, { activation: "tanh" }),
  },
  {
    name: "muladd with fused relu, scalar a and b, both sides of the kink",
    params: fc.tuple(shapeArb, fc.constantFrom(-20, 0.25)),
    inputs: ([s]: [number[], number]) => [{ shape: s, domain: positive }],
    f: ([, b]: [number[], number], x) => k.muladd(1.5, x!, b, { activation: "relu" }),
  },
  {
    name: "muladd with an activation that is a custom function (applied after the fused add)",
    params: shapeArb,
    inputs: (s) => [{ shape: s }, { shape: s }],
    f: (_s, x, b) => k.muladd(0.5, x!, b!, { activation: (z: Tensor) => k.mul(z, z) }),
  },
  {
    name: "biasAct σ with a column bias",
    params: fc.tuple(dim, dim),
    inputs: ([h, n]: [number, number]) => [{ shape: [h, n] }, { shape: [h] }],
    f: (_p, x, b) => k.biasAct(k.σ, x!, b!),
  },
  {
    name: "biasAct leakyrelu, elu and gelu by name",
    params: fc.tuple(dim, dim, fc.constantFrom("leakyrelu", "elu", "gelu", "softplus")),
    inputs: ([h, n]: [number, number, string]) => [{ shape: [h, n], domain: awayFromZero }],
    f: ([, , act]: [number, number, k.FusedActivation], x) => k.biasAct(act, x!, 0),
  },
  {
    name: "dense (W * x .+ b, σ): fused forward, recorded matmul + biasAct backward",
    params: fc.tuple(dim, dim, dim, fc.boolean()),
    inputs: ([i, h, n, vec]: [number, number, number, boolean]) => [
      { shape: [h, i] },
      { shape: vec ? [i] : [i, n] },
      { shape: [h, 1] },
    ],
    f: (_p, w, x, b) => k.dense(x!, w!, b!, k.tanh),
  },
  {
    // Fused on the CPU (one node per call, heads read in place), composed of ops elsewhere. The output
    // also carries sum(α .* α), so the attention weights' own cotangent is checked too.
    name: "dotProductAttention: 2 heads, causal or not, output and weights",
    params: fc.tuple(dim, dim, fc.boolean()),
    inputs: ([len, n]: [number, number, boolean]) => [
      { shape: [4, len, n] },
      { shape: [4, len, n] },
      { shape: [6, len, n] },
    ],
    f: ([, , causal]: [number, number, boolean], q, kk, v) => {
      const [y, a] = k.dotProductAttention(q!, kk!, v!, { nheads: 2, mask: causal ? "causal" : null });
      return k.add(y, k.sum(k.mul(a, a)));
    },
  },
  {
    name: "lstmSequence (the fused LSTM layer): every step's h, a state shared by every sequence",
    params: fc.tuple(dim, dim, dim, dim),
    inputs: ([i, h, t, n]: [number, number, number, number]) => [
      { shape: [i, t, n] },
      { shape: [4 * h, i] },
      { shape: [4 * h, h] },
      { shape: [4 * h] },
      { shape: [h] },
      { shape: [h] },
    ],
    f: (_p, x, wi, wh, b, h0, c0) => k.lstmSequence(x!, wi!, wh!, b!, h0!, c0!).y,
  },
  {
    name: "lstmSequence without bias: the last h and c, a state per sequence",
    params: fc.tuple(dim, dim, dim, dim),
    inputs: ([i, h, t, n]: [number, number, number, number]) => [
      { shape: [i, t, n] },
      { shape: [4 * h, i] },
      { shape: [4 * h, h] },
      { shape: [h, n] },
      { shape: [h, n] },
    ],
    f: (_p, x, wi, wh, h0, c0) => {
      const r = k.lstmSequence(x!, wi!, wh!, null, h0!, c0!);
      return k.add(k.mul(r.h, 0.5), r.c);
    },
  },
  {
    name: "gruSequence (the fused GRU layer): every step's h",
    params: fc.tuple(dim, dim, dim, dim, fc.boolean()),
    inputs: ([i, h, t, n, shared]: [number, number, number, number, boolean]) => [
      { shape: [i, t, n] },
      { shape: [3 * h, i] },
      { shape: [3 * h, h] },
      { shape: [3 * h] },
      { shape: shared ? [h] : [h, n] },
    ],
    f: (_p, x, wi, wh, b, h0) => k.gruSequence(x!, wi!, wh!, b!, h0!).y,
  },
  {
    name: "a small MLP (matmul + bias + activations + logitcrossentropy-like loss)",
    params: fc.tuple(dim, dim, dim),
    inputs: ([i, h, n]: [number, number, number]) => [{ shape: [h, i] }, { shape: [h] }, { shape: [i, n] }],
    f: (_p, w, b, x) => k.mean(k.neg(k.logsoftmax(k.tanh(k.add(k.matmul(w!, x!), b!))))),
  },
];
