// Element-wise math and NNlib activations. Each is one backend primitive forward and one fused VJP backward;
// the ops themselves are declared in ../opNames.ts (UNARY_OP_SPECS), this file gives each its public function.
// Everything exported here is public (index.ts re-exports the whole module).
import { defaultParam } from "../opNames.js";
import type { Tensor } from "../tensor.js";
import { unaryOp } from "./unaryOp.js";

/** `-x`. @example neg(tensor([1, -2], [2])); // [-1, 2] */
export const neg = (x: Tensor): Tensor => unaryOp("neg", x);
/** `abs.(x)` (gradient `sign(x)`). @example abs(tensor([-1, 2], [2])); // [1, 2] */
export const abs = (x: Tensor): Tensor => unaryOp("abs", x);
/** `sign.(x)` (zero gradient). @example sign(tensor([-3, 0, 2], [3])); // [-1, 0, 1] */
export const sign = (x: Tensor): Tensor => unaryOp("sign", x);
/** `x .^ 2`. @example square(tensor([3], [1])); // [9] */
export const square = (x: Tensor): Tensor => unaryOp("square", x);
/** `exp.(x)`. @example exp(zeros([2])); // [1, 1] */
export const exp = (x: Tensor): Tensor => unaryOp("exp", x);
/** Natural `log.(x)`. @example log(ones([2])); // [0, 0] */
export const log = (x: Tensor): Tensor => unaryOp("log", x);
/** `sqrt.(x)`. @example sqrt(tensor([4], [1])); // [2] */
export const sqrt = (x: Tensor): Tensor => unaryOp("sqrt", x);
/** `1 ./ sqrt.(x)`. @example rsqrt(tensor([4], [1])); // [0.5] */
export const rsqrt = (x: Tensor): Tensor => unaryOp("rsqrt", x);
/** `1 ./ x`. @example reciprocal(tensor([4], [1])); // [0.25] */
export const reciprocal = (x: Tensor): Tensor => unaryOp("reciprocal", x);
/** `log1p.(x)` = log(1 + x), accurate near 0. @example log1p(zeros([1])); // [0] */
export const log1p = (x: Tensor): Tensor => unaryOp("log1p", x);
/** `expm1.(x)` = exp(x) - 1, accurate near 0. @example expm1(zeros([1])); // [0] */
export const expm1 = (x: Tensor): Tensor => unaryOp("expm1", x);
/** `sin.(x)`. @example sin(zeros([1])); // [0] */
export const sin = (x: Tensor): Tensor => unaryOp("sin", x);
/** `cos.(x)`. @example cos(zeros([1])); // [1] */
export const cos = (x: Tensor): Tensor => unaryOp("cos", x);
/** `floor.(x)` (zero gradient). @example floor(tensor([1.5], [1])); // [1] */
export const floor = (x: Tensor): Tensor => unaryOp("floor", x);
/** `ceil.(x)` (zero gradient). @example ceil(tensor([1.5], [1])); // [2] */
export const ceil = (x: Tensor): Tensor => unaryOp("ceil", x);
/** `round.(x)`, halves to even as Julia (zero gradient). @example round(tensor([2.5], [1])); // [2] */
export const round = (x: Tensor): Tensor => unaryOp("round", x);
/** `tanh.(x)`. @example tanh(zeros([1])); // [0] */
export const tanh = (x: Tensor): Tensor => unaryOp("tanh", x);
/** NNlib `σ` / `sigmoid`: `1 / (1 + exp(-x))`. @example sigmoid(zeros([1])); // [0.5] */
export const sigmoid = (x: Tensor): Tensor => unaryOp("sigmoid", x);
/** NNlib `relu`: `max(x, 0)`; gradient 0 at 0. @example relu(tensor([-1, 2], [2])); // [0, 2] */
export const relu = (x: Tensor): Tensor => unaryOp("relu", x);
/**
 * NNlib `leakyrelu(x, a = 0.01)`: `x > 0 ? x : a * x`.
 * @example leakyrelu(tensor([-1, 2], [2]), 0.1); // [-0.1, 2]
 */
export const leakyrelu = (x: Tensor, a = defaultParam("leakyrelu")): Tensor => unaryOp("leakyrelu", x, a);
/**
 * NNlib `elu(x, α = 1)`: `x > 0 ? x : α * (exp(x) - 1)`.
 * @example elu(tensor([0, 1], [2])); // [0, 1]
 */
export const elu = (x: Tensor, alpha = defaultParam("elu")): Tensor => unaryOp("elu", x, alpha);
/**
 * NNlib `gelu` (the tanh approximation, NNlib's default): `0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))`.
 * @example gelu(zeros([1])); // [0]
 */
export const gelu = (x: Tensor): Tensor => unaryOp("gelu", x);
/** NNlib `softplus`: `log1p(exp(-|x|)) + max(x, 0)` (stable `log(1 + exp(x))`). @example softplus(zeros([1])); // [log 2] */
export const softplus = (x: Tensor): Tensor => unaryOp("softplus", x);
/** NNlib `swish`: `x * sigmoid(x)`. @example swish(zeros([1])); // [0] */
export const swish = (x: Tensor): Tensor => unaryOp("swish", x);
/** NNlib `mish`: `x * tanh(softplus(x))` (Misra 2019). @example mish(zeros([1])); // [0] */
export const mish = (x: Tensor): Tensor => unaryOp("mish", x);
/** Alias of `sigmoid` (NNlib's `σ`). @example σ(zeros([1])); // [0.5] */
export const σ = sigmoid;
