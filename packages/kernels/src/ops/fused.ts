// Fused element-wise ops: Julia's `muladd(a, x, b)` with an optional activation, NNlib's `bias_act!(σ, x, b)`
// and a dense layer's `σ.(W * x .+ b)`. Each is one backend primitive (one pass over memory on the CPU)
// forward, with ordinary broadcasting gradients backward.
import { isTracked, record, releaseTemp } from "../autodiff/tape.js";
import type { Backend } from "../backend.js";
import { promoteTypes } from "../dtype.js";
import { ArgumentError, ShapeError } from "../errors.js";
import { defaultParam, UNARY_OPS, type UnaryOp } from "../opNames.js";
import { broadcastShapes, type Shape, shapesEqual } from "../shape.js";
import { isTensor, type Tensor } from "../tensor.js";
import { backendOf, describe, operandAs, requireFloat, requireSupported, wrap } from "./core.js";
import { binaryRaw } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";
import * as unary from "./unary.js";
import { unaryOp } from "./unaryOp.js";
import { unbroadcast } from "./unbroadcast.js";
import type { Operand } from "./elementwise.js";

/**
 * An activation for the fused ops: a unary op name (`"relu"`, `"sigmoid"`, ...), one of this package's
 * activation functions (`relu`, `σ`, `tanh`, ...), or `"identity"` / `null` for none.
 */
export type FusedActivation = UnaryOp | "identity" | null | ((x: Tensor) => Tensor);

/** Options of `muladd`: the activation fused after `a * x + b`, and its parameter (leakyrelu/elu). */
export interface MuladdOptions {
  activation?: FusedActivation;
  /** leakyrelu's slope or elu's α (their defaults, 0.01 and 1, otherwise). */
  param?: number;
}

/** @internal An activation the fused primitives take by name. */
export type Act = UnaryOp | "identity";

const BY_FUNCTION = new Map<unknown, Act>(
  UNARY_OPS.filter((op) => typeof (unary as Record<string, unknown>)[op] === "function").map((op) => [
    (unary as Record<string, unknown>)[op],
    op,
  ]),
);
BY_FUNCTION.set(unary.σ, "sigmoid");

/** @internal The default parameter of a fused activation (leakyrelu's slope, elu's α; 0 otherwise). */
export const actParam = (act: Act): number => (act === "identity" ? 0 : defaultParam(act));

/** @internal The unary op an activation names, or the function itself when it is someone else's. */
export function resolveActivation(
  op: string,
  act: FusedActivation | undefined,
): Act | ((x: Tensor) => Tensor) {
  if (act === undefined || act === null || act === "identity") return "identity";
  if (typeof act === "string") {
    if (!(UNARY_OPS as readonly string[]).includes(act)) {
      throw new ArgumentError(
        `${op}: unknown activation "${act}"; use one of ${UNARY_OPS.join(", ")}, "identity", or a function.`,
      );
    }
    return act as UnaryOp;
  }
  if (typeof act !== "function") {
    throw new ArgumentError(`${op}: the activation must be a name or a function, got ${describe(act)}.`);
  }
  return BY_FUNCTION.get(act) ?? act;
}

// `act.(a .* x .+ b)` on tensors of one dtype, fused when the backend can, with its VJP. `unitA`: `a` is the
// constant 1 (biasAct, a dense layer's bias and activation), so x's cotangent is dz itself: no multiply, no
// temporary, one pass less over the activations in every backward step.
function affineAct(
  backend: Backend,
  act: Act,
  param: number,
  a: Tensor,
  x: Tensor,
  b: Tensor,
  unitA = false,
): Tensor {
  const op = "muladd";
  const shape = broadcastShapes(broadcastShapes(a.shape, x.shape, op), b.shape, op);
  const out = rawAffine(backend, act, param, a, x, b, shape);
  record([a, x, b], out, (g, needs) => {
    const fused = unitA && act === "relu" ? reluBiasBackward(backend, out, g, x, b, needs) : null;
    if (fused !== null) return fused;
    // relu's derivative reads only the sign, which the output keeps; the others need z = a*x + b again.
    const z = act === "identity" || act === "relu" ? out : rawAffine(backend, "identity", 0, a, x, b, shape);
    const dz =
      act === "identity"
        ? g
        : wrap(backend, backend.unaryGrad(act, z.view(op), out.view(op), g.view(op), param), shape, x.dtype);
    if (z !== out) z.dispose();
    return [
      needs[0] ? unbroadcast(binaryRaw("mul", dz, x), a.shape) : null,
      needs[1] ? unbroadcast(unitA ? dz : binaryRaw("mul", dz, a), x.shape) : null,
      needs[2] ? unbroadcast(dz, b.shape) : null,
    ];
  });
  return out;
}

/**
 * The cotangents of `relu.(x .+ b)` (a = 1, x of the output's shape, b broadcast: a layer's bias) from the
 * backend's one-pass `reluBiasGrad`: x's cotangent and b's sum of it together, without a second pass over
 * the activations. Null where the backend lacks it or the shapes are not that case.
 */
export function reluBiasBackward(
  backend: Backend,
  out: Tensor,
  g: Tensor,
  x: Tensor,
  b: Tensor,
  needs: readonly boolean[],
): (Tensor | null)[] | null {
  if (backend.reluBiasGrad === undefined || !needs[2] || !shapesEqual(x.shape, out.shape)) return null;
  const op = "muladd";
  const [dx, db] = backend.reluBiasGrad(out.view(op), g.view(op), b.shape);
  const dbTensor = wrap(backend, db, b.shape, b.dtype);
  const dxTensor = wrap(backend, dx, out.shape, x.dtype);
  if (!needs[1]) dxTensor.dispose();
  return [null, needs[1] ? dxTensor : null, dbTensor];
}

// The forward values as a new tensor (not recorded).
function rawAffine(
  backend: Backend,
  act: Act,
  param: number,
  a: Tensor,
  x: Tensor,
  b: Tensor,
  shape: Shape,
): Tensor {
  const op = "muladd";
  if (backend.affineAct) {
    const s = backend.affineAct(act, param, a.view(op), x.view(op), b.view(op), shape);
    return wrap(backend, s, shape, x.dtype);
  }
  // A backend without the fused primitive: the same values from binary + unary (more passes).
  const ax = binaryRaw("mul", a, x);
  const z = binaryRaw("add", ax, b);
  ax.dispose();
  if (act === "identity") return z;
  const y = wrap(backend, backend.unary(act, z.view(op), param), shape, x.dtype);
  z.dispose();
  return y;
}

/**
 * Julia's `muladd(a, x, b)`: `a .* x .+ b` with broadcasting, in ONE pass, optionally followed by a fused
 * activation (`{ activation: "relu" }` gives `relu.(a .* x .+ b)`, still one pass).
 *
 * Any operand may be a tensor or a JS number (at least one a tensor); shapes broadcast as in `add`. The
 * gradient flows to every tensor operand. On the CPU the whole expression is one branch-free loop, 3-8x
 * faster than `relu(add(mul(x, a), b))`, which allocates and crosses memory three times.
 *
 * @example
 * const y = muladd(1.5, x, -0.25, { activation: "relu" }); // relu.(1.5 .* x .- 0.25)
 * muladd(w, x, b);                                         // w .* x .+ b
 */
export function muladd(a: Operand, x: Operand, b: Operand, opts: MuladdOptions = {}): Tensor {
  const op = "muladd";
  const ref = [a, x, b].find(isTensor);
  if (ref === undefined) {
    throw new ArgumentError(
      `${op}: at least one operand must be a Tensor (got three numbers); use a * x + b.`,
    );
  }
  const tensors = [a, x, b].filter(isTensor);
  const backend = backendOf(op, ...tensors);
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  requireFloat(op, dtype);
  requireSupported(op, backend, dtype);
  const temps: Tensor[] = [];
  const operand = operandAs(op, backend, dtype, temps);
  const act = resolveActivation(op, opts.activation);
  const [ta, tx, tb] = [operand(a), operand(x), operand(b)];
  // A literal 1 (biasAct) cannot be tracked, and multiplying by it is exact: x's cotangent is dz.
  const unitA = a === 1;
  if (typeof act === "function") {
    const z = affineAct(backend, "identity", 0, ta, tx, tb, unitA);
    const y = act(z);
    return finish(y, [...temps, z]);
  }
  const y = affineAct(backend, act, opts.param ?? actParam(act), ta, tx, tb, unitA);
  return finish(y, temps);
}

// Frees temporaries now unless a tape still needs them (then the gradient's scope frees them).
function finish(y: Tensor, temps: readonly Tensor[]): Tensor {
  for (const t of temps) releaseTemp(t);
  return y;
}

/**
 * NNlib's `bias_act!(σ, x, b)` (not in place): `σ.(x .+ b)` in ONE pass, with gradients for `x` and `b`.
 *
 * `b` broadcasts against `x` (a `[out]` or `[out, 1]` bias over `[out, batch]` columns), or is a number,
 * or `null`/`false` for no bias. `σ` is one of this package's activations (`relu`, `σ`, `tanh`...), a
 * unary op name, `"identity"`/`null`, or any function of a tensor (then applied after the fused add).
 *
 * @example
 * const h = biasAct(relu, matmul(W, x), b); // relu.(W*x .+ b), the add and relu in one pass
 */
export function biasAct(σ: FusedActivation, x: Tensor, b: Tensor | number | null | false = null): Tensor {
  return muladd(1, x, b === null || b === false ? 0 : b, { activation: σ });
}

/**
 * A dense layer's forward pass `σ.(W * x .+ b)` as one op: `W` is `[out, in]`, `x` is `[in, batch]` (or a
 * vector `[in]`), `b` is `[out]` or `[out, 1]` (or null), the result `[out, batch]`.
 *
 * On the CPU, outside `gradient`, it is one GEMM followed by the bias and activation applied in place
 * while the product is still in cache (no second tensor, no extra pass). Under `gradient` it records a
 * `matmul` and a `biasAct`, so the gradients are those of the unfused expression. Any activation works: a
 * kernels activation or unary op name is fused, any other function of a tensor is applied after the bias.
 * `@flux/layers`' `Dense` always calls it.
 *
 * @example
 * const y = dense(x, W, b, relu); // relu.(W * x .+ b)
 */
export function dense(x: Tensor, W: Tensor, b: Tensor | null = null, σ: FusedActivation = null): Tensor {
  const op = "dense";
  const backend = b === null ? backendOf(op, W, x) : backendOf(op, W, x, b);
  const act = resolveActivation(op, σ);
  const out = W.shape[0]!;
  if (W.rank !== 2 || (x.rank !== 1 && x.rank !== 2) || W.shape[1] !== x.shape[0]) {
    throw new ShapeError(
      `${op}: W must be [out, in] and x [in, batch] (or [in]); got W [${W.shape.join(", ")}], x [${x.shape.join(", ")}].`,
    );
  }
  if (b !== null && (b.size !== out || (b.rank > 1 && b.shape[0] !== out))) {
    throw new ShapeError(`${op}: the bias must be [${out}] or [${out}, 1]; got [${b.shape.join(", ")}].`);
  }
  const tracked = isTracked(W) || isTracked(x) || (b !== null && isTracked(b));
  const sameDtype = W.dtype === x.dtype && (b === null || b.dtype === x.dtype);
  if (sameDtype && typeof act === "string" && backend.denseAct && x.rank === 2) {
    requireFloat(op, x.dtype);
    const shape = [out, x.shape[1]!];
    const bView = b === null ? null : b.view(op);
    if (!tracked) {
      return wrap(
        backend,
        backend.denseAct(act, actParam(act), W.view(op), x.view(op), bView, shape),
        shape,
        x.dtype,
      );
    }
    // Training: z = W * x .+ b from the same fused GEMM (the bias added as the product is copied out, not in
    // a broadcasting pass of its own), recorded as one node; the activation is its own recorded op, whose
    // VJP reads the z it keeps (recomputing z in the backward pass would cost another bias pass).
    const z = wrap(
      backend,
      backend.denseAct("identity", 0, W.view(op), x.view(op), bView, shape),
      shape,
      x.dtype,
    );
    record(b === null ? [W, x] : [W, x, b], z, (g, needs) => [
      needs[0] ? matmul(g, x, { transB: true }) : null,
      needs[1] ? matmul(W, g, { transA: true }) : null,
      needs[2] ? reshape(sum(g, { dims: 2 }), b!.shape) : null,
    ]);
    if (act === "identity") return z;
    const y = unaryOp(act, z, actParam(act));
    releaseTemp(z);
    return y;
  }
  const z = matmul(W, x);
  // Nothing to add: the product itself, or a custom activation of it (a fused add of 0 would only copy).
  if (b === null && act === "identity") return z;
  if (b === null && typeof act === "function") {
    const y = act(z);
    if (y !== z) releaseTemp(z);
    return y;
  }
  // A vector x gives a vector z: the bias then goes as a vector too (reshape is recorded, so b keeps its gradient).
  const bias = b !== null && x.rank === 1 && b.rank !== 1 ? reshape(b, [out]) : b;
  const y = biasAct(σ, z, bias);
  if (bias !== b && bias !== null) releaseTemp(bias);
  releaseTemp(z);
  return y;
}
