// NNlib's `conv_bias_act(x, w, cdims, b, σ)`: a convolution layer's `σ.(conv(x, w) .+ b)` as one op. On a
// backend with the fused primitive (the CPU) the bias and activation are applied to each chunk of the
// output as the convolution leaves it, still in cache, instead of in a pass of their own over the whole
// output (over a LeNet's first layer that pass read and wrote 2.7 MB after the convolution had written it).
// Values and gradients are those of the composed `biasAct(σ, conv(x, w), b)`.
import { isTracked, record, releaseTemp } from "../autodiff/tape.js";
import type { Backend, Conv2dGeometry } from "../backend.js";
import { ShapeError } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { type ConvOpOptions, conv, convBackward, convGeometry } from "./conv.js";
import { backendOf, wrap } from "./core.js";
import { type Act, actParam, biasAct, type FusedActivation, resolveActivation } from "./fused.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";

/**
 * NNlib's `conv_bias_act`: `σ.(conv(x, w, opts) .+ b)` with `b` one value per output channel (`[Cout]`,
 * or `[1, 1, Cout, 1]`) or null for none, and `σ` as for `biasAct` (a name, one of this package's
 * activations, `null`, or any function of a tensor). `x`, `w` and `opts` are `conv`'s. On the CPU the bias
 * and activation run as the convolution's epilogue; elsewhere, and for activations other than relu and the
 * identity under `gradient`, it is exactly `biasAct(σ, conv(x, w, opts), reshape(b, [1, 1, Cout, 1]))`.
 * `@flux/layers`' 2-D `Conv` and `CrossCor` call it.
 *
 * @example
 * const y = convBiasAct(x, w, b, relu, { pad: 1 }); // relu.(conv(x, w; pad = 1) .+ b)
 */
export function convBiasAct(
  x: Tensor,
  w: Tensor,
  b: Tensor | null = null,
  σ: FusedActivation = null,
  opts: ConvOpOptions = {},
): Tensor {
  const op = "convBiasAct";
  const backend = b === null ? backendOf(op, x, w) : backendOf(op, x, w, b);
  const g = convGeometry(op, x, w, opts);
  const cout = g.weightShape[3];
  if (b !== null && (b.size !== cout || !(b.rank === 1 || (b.rank === 4 && b.shape[2] === cout)))) {
    throw new ShapeError(
      `${op}: the bias must be [${cout}] (one value per output channel) or [1, 1, ${cout}, 1]; got [${b.shape.join(", ")}].`,
    );
  }
  const act = resolveActivation(op, σ);
  const tracked = isTracked(x) || isTracked(w) || (b !== null && isTracked(b));
  const fused =
    typeof act === "string" &&
    backend.conv2dBiasAct !== undefined &&
    (b === null || b.dtype === x.dtype) &&
    !(b === null && act === "identity") &&
    (!tracked || act === "relu" || act === "identity");
  if (!fused) return composed(x, w, b, σ, opts, cout);
  const raw = backend.conv2dBiasAct!(act, actParam(act), x.view(op), w.view(op), b?.view(op) ?? null, g);
  const out = wrap(backend, raw, g.outShape, x.dtype);
  if (tracked)
    record(b === null ? [x, w] : [x, w, b], out, (dy, needs) =>
      backward(backend, act, g, x, w, b, out, dy, needs),
    );
  return out;
}

// The unfused expression, the op's meaning everywhere the fused primitive does not serve.
function composed(
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  σ: FusedActivation,
  opts: ConvOpOptions,
  cout: number,
): Tensor {
  const y = conv(x, w, opts);
  if (b === null && (σ === null || σ === "identity")) return y;
  const channels = b === null ? null : reshape(b, [1, 1, cout, 1]);
  const out = biasAct(σ, y, channels);
  // The conv output and the bias's view are this op's own; the tape keeps them if the backward pass needs them.
  releaseTemp(y);
  if (channels !== null) releaseTemp(channels);
  return out;
}

// relu's (or the identity's) cotangent dz of the conv output, the bias's sum of it, then conv's two passes.
function backward(
  backend: Backend,
  act: Act,
  g: Conv2dGeometry,
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  out: Tensor,
  dy: Tensor,
  needs: readonly boolean[],
): (Tensor | null)[] {
  const op = "convBiasAct";
  const biasShape = [1, 1, g.weightShape[3], 1];
  let dz = dy;
  let db: Tensor | null = null;
  if (act === "relu" && b !== null && backend.reluBiasGrad !== undefined) {
    // Its bias sum is laid out as b (one value per channel), so it takes b's shape as it is.
    const [dx, dbRaw] = backend.reluBiasGrad(out.view(op), dy.view(op), biasShape);
    dz = wrap(backend, dx, g.outShape, x.dtype);
    db = wrap(backend, dbRaw, b.shape, x.dtype);
    if (!needs[2]) db.dispose();
  } else if (act === "relu") {
    dz = wrap(
      backend,
      backend.unaryGrad("relu", out.view(op), out.view(op), dy.view(op), 0),
      g.outShape,
      x.dtype,
    );
  }
  if (b !== null && needs[2] && db === null) db = reshape(sum(dz, { dims: [1, 2, 4] }), b.shape);
  const [dx, dw] = convBackward(backend, x, w, dz, g, needs);
  if (dz !== dy) dz.dispose();
  return b === null ? [dx ?? null, dw ?? null] : [dx ?? null, dw ?? null, needs[2] ? db : null];
}
