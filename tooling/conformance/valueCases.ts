// Hand-checked small cases: every op's VALUES on a backend against numbers worked out by hand (or once with
// NumPy in column-major order, noted). Shapes and data are column-major: tensor([1..6], [3, 2]) is
//   1 4
//   2 5
//   3 6
import * as k from "@flux/kernels";
import { type DType, type Tensor, UNARY_OPS, type UnaryOp } from "@flux/kernels";

/** Makes tensors on the backend under test. */
export type Make = (data: readonly (number | boolean)[], shape: readonly number[], dtype?: DType) => Tensor;

/** One value case: `run` builds the output on the device; `values`/`shape`/`dtype` are what it must be. */
export interface ValueCase {
  readonly name: string;
  readonly run: (t: Make) => Tensor;
  readonly shape: readonly number[];
  readonly values: readonly number[];
  readonly dtype?: DType;
}

const A = (t: Make) => t([1, 2, 3, 4, 5, 6], [3, 2]);

/** The public function of a declared unary op (`k.mish` for "mish"); throws when kernels lacks it. */
export function unaryFunction(op: UnaryOp): (x: Tensor) => Tensor {
  const f = (k as unknown as Record<string, unknown>)[op];
  if (typeof f !== "function") {
    throw new Error(`@flux/kernels declares the unary op "${op}" (opNames.ts) but exports no function ${op}`);
  }
  return f as (x: Tensor) => Tensor;
}

/** A declared unary op's value case: its public function on its example (default parameter). */
function unaryExampleCase(op: UnaryOp): ValueCase {
  const { x, y } = k.UNARY_OP_SPECS[op].example;
  return { name: op, run: (t) => unaryFunction(op)(t([...x], [x.length])), shape: [x.length], values: y };
}

export const VALUE_CASES: readonly ValueCase[] = [
  // broadcasting arithmetic
  {
    name: "add column broadcast",
    run: (t) => k.add(A(t), t([10, 20, 30], [3])),
    shape: [3, 2],
    values: [11, 22, 33, 14, 25, 36],
  },
  {
    name: "add row broadcast",
    run: (t) => k.add(A(t), t([100, 200], [1, 2])),
    shape: [3, 2],
    values: [101, 102, 103, 204, 205, 206],
  },
  {
    name: "add both broadcast",
    run: (t) => k.add(t([1, 2], [2]), t([10, 20, 30], [1, 3])),
    shape: [2, 3],
    values: [11, 12, 21, 22, 31, 32],
  },
  { name: "sub number", run: (t) => k.sub(A(t), 1), shape: [3, 2], values: [0, 1, 2, 3, 4, 5] },
  { name: "sub number first", run: (t) => k.sub(10, t([1, 2], [2])), shape: [2], values: [9, 8] },
  { name: "mul", run: (t) => k.mul(t([1, 2, 3], [3]), t([4, 5, 6], [3])), shape: [3], values: [4, 10, 18] },
  {
    name: "div",
    run: (t) => k.div(t([1, 2, 3], [3]), t([2, 4, 8], [3])),
    shape: [3],
    values: [0.5, 0.5, 0.375],
  },
  { name: "pow", run: (t) => k.pow(t([2, 3], [2]), t([3, 2], [2])), shape: [2], values: [8, 9] },
  {
    name: "maximum",
    run: (t) => k.maximum(t([1, 5, 3], [3]), t([4, 2, 3], [3])),
    shape: [3],
    values: [4, 5, 3],
  },
  {
    name: "minimum",
    run: (t) => k.minimum(t([1, 5, 3], [3]), t([4, 2, 3], [3])),
    shape: [3],
    values: [1, 2, 3],
  },
  {
    name: "mul f32 by bool promotes",
    run: (t) => k.mul(t([1, 2], [2]), t([true, false], [2], "bool")),
    shape: [2],
    values: [1, 0],
  },
  // comparisons
  { name: "eq", run: (t) => k.eq(t([1, 2, 3], [3]), 2), shape: [3], values: [0, 1, 0], dtype: "bool" },
  { name: "ne", run: (t) => k.ne(t([1, 2, 3], [3]), 2), shape: [3], values: [1, 0, 1], dtype: "bool" },
  { name: "lt", run: (t) => k.lt(t([1, 2, 3], [3]), 2), shape: [3], values: [1, 0, 0], dtype: "bool" },
  { name: "le", run: (t) => k.le(t([1, 2, 3], [3]), 2), shape: [3], values: [1, 1, 0], dtype: "bool" },
  { name: "gt", run: (t) => k.gt(t([1, 2, 3], [3]), 2), shape: [3], values: [0, 0, 1], dtype: "bool" },
  { name: "ge", run: (t) => k.ge(t([1, 2, 3], [3]), 2), shape: [3], values: [0, 1, 1], dtype: "bool" },
  {
    name: "where",
    run: (t) => {
      const x = t([-1, 2, -3, 4], [4]);
      return k.where(k.gt(x, 0), x, -1);
    },
    shape: [4],
    values: [-1, 2, -1, 4],
  },
  // unary math and activations: one case per declared op (the example in packages/kernels/src/opNames.ts),
  // then the cases an example cannot show
  ...UNARY_OPS.map(unaryExampleCase),
  { name: "sigmoid saturates", run: (t) => k.sigmoid(t([-100, 100], [2])), shape: [2], values: [0, 1] },
  { name: "leakyrelu a=0.1", run: (t) => k.leakyrelu(t([-1, 2], [2]), 0.1), shape: [2], values: [-0.1, 2] },
  { name: "elu alpha=2", run: (t) => k.elu(t([-1], [1]), 2), shape: [1], values: [2 * (Math.exp(-1) - 1)] },
  // reductions (1-based dims, kept as size 1)
  { name: "sum all", run: (t) => k.sum(A(t)), shape: [], values: [21] },
  { name: "sum dims=1", run: (t) => k.sum(A(t), { dims: 1 }), shape: [1, 2], values: [6, 15] },
  { name: "sum dims=2", run: (t) => k.sum(A(t), { dims: 2 }), shape: [3, 1], values: [5, 7, 9] },
  { name: "sum dims=[1,2]", run: (t) => k.sum(A(t), { dims: [1, 2] }), shape: [1, 1], values: [21] },
  {
    name: "sum dims=3 (beyond rank) is identity",
    run: (t) => k.sum(A(t), { dims: 3 }),
    shape: [3, 2],
    values: [1, 2, 3, 4, 5, 6],
  },
  {
    name: "sum of bool counts",
    run: (t) => k.sum(t([true, false, true], [3], "bool")),
    shape: [],
    values: [2],
    dtype: "i32",
  },
  { name: "mean dims=2", run: (t) => k.mean(A(t), { dims: 2 }), shape: [3, 1], values: [2.5, 3.5, 4.5] },
  { name: "mean all", run: (t) => k.mean(A(t)), shape: [], values: [3.5] },
  { name: "max dims=1", run: (t) => k.max(A(t), { dims: 1 }), shape: [1, 2], values: [3, 6] },
  { name: "min dims=2", run: (t) => k.min(A(t), { dims: 2 }), shape: [3, 1], values: [1, 2, 3] },
  { name: "prod", run: (t) => k.prod(t([1, 2, 3, 4], [4])), shape: [], values: [24] },
  {
    name: "argmax dims=1 (0-based)",
    run: (t) => k.argmax(t([1, 5, 3, 2], [2, 2]), 1),
    shape: [1, 2],
    values: [1, 0],
    dtype: "i32",
  },
  {
    name: "argmin dims=2 (0-based)",
    run: (t) => k.argmin(t([1, 5, 3, 2], [2, 2]), 2),
    shape: [2, 1],
    values: [0, 1],
    dtype: "i32",
  },
  {
    name: "argmax all (linear)",
    run: (t) => k.argmax(t([1, 5, 9, 2], [2, 2])),
    shape: [],
    values: [2],
    dtype: "i32",
  },
  // matmul (NumPy, column-major)
  {
    name: "matmul",
    run: (t) => k.matmul(t([1, 2, 3, 4, 5, 6], [2, 3]), t([1, -1, 2, 0, 0.5, 3], [3, 2])),
    shape: [2, 2],
    values: [8, 10, 16.5, 20],
  },
  {
    name: "matmul transA",
    run: (t) => {
      const a = t([1, 2, 3, 4, 5, 6], [2, 3]);
      return k.matmul(a, a, { transA: true });
    },
    shape: [3, 3],
    values: [5, 11, 17, 11, 25, 39, 17, 39, 61],
  },
  {
    name: "matmul transB",
    run: (t) => {
      const a = t([1, 2, 3, 4, 5, 6], [2, 3]);
      return k.matmul(a, a, { transB: true });
    },
    shape: [2, 2],
    values: [35, 44, 44, 56],
  },
  {
    name: "matmul matrix-vector",
    run: (t) => k.matmul(t([1, 2, 3, 4], [2, 2]), t([1, 1], [2])),
    shape: [2],
    values: [4, 6],
  },
  {
    name: "matmul batched with shared 2-D operand",
    run: (t) => k.matmul(t([1, 0, 0, 1, 2, 0, 0, 2], [2, 2, 2]), t([1, 2], [2, 1])),
    shape: [2, 1, 2],
    values: [1, 2, 2, 4],
  },
  // layout
  { name: "transpose", run: (t) => k.transpose(A(t)), shape: [2, 3], values: [1, 4, 2, 5, 3, 6] },
  { name: "transpose vector", run: (t) => k.transpose(t([1, 2], [2])), shape: [1, 2], values: [1, 2] },
  // NumPy: np.transpose(arange(12).reshape((2,3,2), order="F"), (2,0,1))
  {
    name: "permutedims",
    run: (t) =>
      k.permutedims(
        k.reshape(k.arange(12, undefined, 1, { device: t([0], [1]).device }), [2, 3, 2]),
        [3, 1, 2],
      ),
    shape: [2, 2, 3],
    values: [0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11],
    dtype: "f32",
  },
  { name: "reshape", run: (t) => k.reshape(A(t), [2, -1]), shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
  { name: "selectdim drops the dim", run: (t) => k.selectdim(A(t), 2, 1), shape: [3], values: [4, 5, 6] },
  {
    name: "selectdim indices keep the dim",
    run: (t) => k.selectdim(A(t), 1, [2, 0]),
    shape: [2, 2],
    values: [3, 1, 6, 4],
  },
  {
    name: "selectobs range",
    run: (t) => k.selectobs(A(t), { start: 1, stop: 2 }),
    shape: [3, 1],
    values: [4, 5, 6],
  },
  { name: "vcat", run: (t) => k.vcat(t([1, 2], [2]), t([3], [1])), shape: [3], values: [1, 2, 3] },
  {
    name: "hcat vectors become columns",
    run: (t) => k.hcat(t([1, 2], [2]), t([3, 4], [2])),
    shape: [2, 2],
    values: [1, 2, 3, 4],
  },
  {
    name: "cat dims=1 of matrices",
    run: (t) => k.cat([t([1, 2], [1, 2]), t([3, 4, 5, 6], [2, 2])], 1),
    shape: [3, 2],
    values: [1, 3, 4, 2, 5, 6],
  },
  {
    name: "cat dims=3",
    run: (t) => k.cat([t([1, 2], [2]), t([3, 4], [2])], 3),
    shape: [2, 1, 2],
    values: [1, 2, 3, 4],
  },
  // softmax (NumPy)
  {
    name: "softmax dims=1",
    run: (t) => k.softmax(t([1, 2, 3], [3])),
    shape: [3],
    values: [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
  },
  {
    name: "logsoftmax dims=1",
    run: (t) => k.logsoftmax(t([1, 2, 3], [3])),
    shape: [3],
    values: [-2.4076059644443806, -1.4076059644443806, -0.4076059644443806],
  },
  {
    name: "softmax dims=2",
    run: (t) => k.softmax(t([1, 2, 3, 4], [2, 2]), { dims: 2 }),
    shape: [2, 2],
    values: [0.11920292202211755, 0.11920292202211755, 0.8807970779778823, 0.8807970779778823],
  },
  {
    name: "softmax is stable for large inputs",
    run: (t) => k.softmax(t([1000, 1000], [2])),
    shape: [2],
    values: [0.5, 0.5],
  },
  // layernorm (NumPy: (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5) per column; the constant column gives 0)
  {
    name: "layernorm dims=1",
    run: (t) => k.layernorm(t([1, 2, 3, 5, 4, 4, 0, -2], [2, 4])),
    shape: [2, 4],
    values: [
      -0.9999800005999799, 0.9999800005999799, -0.9999950000374997, 0.9999950000374997, 0, 0,
      0.9999950000374997, -0.9999950000374997,
    ],
  },
  {
    name: "layernorm dims=2",
    run: (t) => k.layernorm(t([1, 2, 3, 5, 4, 4, 0, -2], [2, 4]), { dims: 2 }),
    shape: [2, 4],
    values: [
      -0.5103426543002259, -0.05670473936669176, 0.3969331755668423, 1.3042090054339104, 0.8505710905003764,
      0.8505710905003764, -0.96398056923376, -1.8712563991008282,
    ],
  },
  // one-hot
  {
    name: "onehotbatch",
    run: (t) => k.onehotbatch([1, 0, 2, 1], [0, 1, 2], { device: t([0], [1]).device }),
    shape: [3, 4],
    values: [0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0],
    dtype: "f32",
  },
  {
    name: "onecold (0-based)",
    run: (t) => k.onecold(t([0.1, 0.7, 0.2, 0.9, 0.05, 0.05], [3, 2])),
    shape: [2],
    values: [1, 0],
    dtype: "i32",
  },
  // convolution and pooling (NumPy; x = 1..9 as 3×3, w = [1 3; 2 4] column-major)
  {
    name: "conv (true convolution, NNlib default)",
    run: (t) => k.conv(t([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1, 1]), t([1, 2, 3, 4], [2, 2, 1, 1])),
    shape: [2, 2, 1, 1],
    values: [23, 33, 53, 63],
  },
  {
    name: "conv flipped=true (cross-correlation)",
    run: (t) =>
      k.conv(t([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1, 1]), t([1, 2, 3, 4], [2, 2, 1, 1]), { flipped: true }),
    shape: [2, 2, 1, 1],
    values: [37, 47, 67, 77],
  },
  {
    name: "conv pad=1 stride=2",
    run: (t) =>
      k.conv(t([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1, 1]), t([1, 2, 3, 4], [2, 2, 1, 1]), {
        pad: 1,
        stride: 2,
      }),
    shape: [2, 2, 1, 1],
    values: [1, 7, 19, 63],
  },
  {
    name: "maxpool 2",
    run: (t) =>
      k.maxpool(
        t(
          Array.from({ length: 16 }, (_, i) => i + 1),
          [4, 4, 1, 1],
        ),
        2,
      ),
    shape: [2, 2, 1, 1],
    values: [6, 8, 14, 16],
  },
  {
    name: "meanpool 2",
    run: (t) =>
      k.meanpool(
        t(
          Array.from({ length: 16 }, (_, i) => i + 1),
          [4, 4, 1, 1],
        ),
        2,
      ),
    shape: [2, 2, 1, 1],
    values: [3.5, 5.5, 11.5, 13.5],
  },
  // conversion and creation
  {
    name: "cast f32 → i32 truncates",
    run: (t) => k.cast(t([1.7, -1.7], [2]), "i32"),
    shape: [2],
    values: [1, -1],
    dtype: "i32",
  },
  {
    name: "cast → bool",
    run: (t) => k.cast(t([0, 2], [2]), "bool"),
    shape: [2],
    values: [0, 1],
    dtype: "bool",
  },
  {
    name: "arange",
    run: (t) => k.arange(1, 2, 0.25, { device: t([0], [1]).device }),
    shape: [4],
    values: [1, 1.25, 1.5, 1.75],
    dtype: "f32",
  },
  {
    name: "fill",
    run: (t) => k.fill(0.5, [2, 1], { device: t([0], [1]).device }),
    shape: [2, 1],
    values: [0.5, 0.5],
    dtype: "f32",
  },
  {
    name: "muladd with fused relu (scalars)",
    run: (t) => k.muladd(1.5, t([-1, 0, 2], [3]), -0.25, { activation: "relu" }),
    shape: [3],
    values: [0, 0, 2.75],
  },
  {
    name: "muladd identity, column a and row b",
    run: (t) => k.muladd(t([1, 2, 3], [3]), A(t), t([10, 20], [1, 2])),
    shape: [3, 2],
    values: [11, 14, 19, 24, 30, 38],
  },
  {
    name: "biasAct relu with a column bias",
    run: (t) => k.biasAct(k.relu, A(t), t([10, -20, 30], [3, 1])),
    shape: [3, 2],
    values: [11, 0, 33, 14, 0, 36],
  },
  {
    name: "dense relu (W = [1 3 5; 2 4 6], x = ones, b = [-10, 1])",
    run: (t) =>
      k.dense(t([1, 1, 1, 2, 2, 2], [3, 2]), t([1, 2, 3, 4, 5, 6], [2, 3]), t([-10, 1], [2]), k.relu),
    shape: [2, 2],
    values: [0, 13, 8, 25],
  },
  { name: "dropout p=1 zeroes", run: (t) => k.dropout(t([1, 2], [2]), 1), shape: [2], values: [0, 0] },
  // the fused optimiser step (in place; returns the parameter): values chosen to be exact in binary
  {
    name: "optimiserStep momentum (v = 0.5 v + 0.5 g; x -= v)",
    run: (t) =>
      k.optimiserStep(
        t([1, 2, 3], [3]),
        t([1, 1, 2], [3]),
        [{ kind: "momentum", rho: 0.5, eta: 0.5 }],
        [t([1, 0, 0], [3])],
      ),
    shape: [3],
    values: [0, 1.5, 2],
  },
  {
    name: "optimiserStep weightdecay → clipgrad → descent",
    run: (t) =>
      k.optimiserStep(t([1, -2, 4], [3]), t([0.5, 3, -3], [3]), [
        { kind: "weightdecay", lambda: 0.25 },
        { kind: "clipgrad", delta: 1 },
        { kind: "descent", eta: 0.5 },
      ]),
    shape: [3],
    values: [0.625, -2.5, 4.5],
  },
  {
    name: "optimiserStep adam, first step (β = 0.5, 0.75; ϵ = 0)",
    run: (t) =>
      k.optimiserStep(
        t([1, 1], [2]),
        t([2, -4], [2]),
        [
          {
            kind: "adam",
            beta1: 0.5,
            oneMinusBeta1: 0.5,
            beta2: 0.75,
            oneMinusBeta2: 0.25,
            correction1: 0.5,
            correction2: 0.25,
            epsilon: 0,
            eta: 0.25,
          },
        ],
        [t([0, 0], [2]), t([0, 0], [2])],
      ),
    shape: [2],
    values: [0.75, 1.25],
  },
  {
    name: "optimiserStep scale by a one-element factor (ClipNorm)",
    run: (t) => k.optimiserStep(t([1, 2], [2]), t([2, 2], [2]), [{ kind: "scale" }], [t([0.5], [])]),
    shape: [2],
    values: [0, 1],
  },
];
