// NNlib's 2-D `conv`, `maxpool` and `meanpool` in Flux's layout: x [W, H, C, N], weight [kW, kH, Cin, Cout].
import type { Backend, Conv2dGeometry, Pool2dGeometry } from "../backend.js";
import { record } from "../autodiff/tape.js";
import { ArgumentError, ShapeError } from "../errors.js";
import type { PoolOp } from "../opNames.js";
import type { Tensor } from "../tensor.js";
import { backendOf, requireFloat, wrap } from "./core.js";
import { checkOpOptions } from "./options.js";

/** A per-dim pair `[w, h]`, or one number for both. */
export type Pair = number | readonly [number, number];
/** Padding: one number, `[w, h]` (both sides), or `[wLow, wHigh, hLow, hHigh]`. */
export type Padding = number | readonly [number, number] | readonly [number, number, number, number];

/** Options of `conv` (NNlib's keywords). */
export interface ConvOpOptions {
  stride?: Pair;
  pad?: Padding;
  dilation?: Pair;
  /** `false` (default, NNlib): true convolution, the kernel is flipped. `true`: cross-correlation. */
  flipped?: boolean;
}

/** Options of `maxpool`/`meanpool`; the stride defaults to the window, as NNlib. */
export interface PoolOpOptions {
  stride?: Pair;
  pad?: Padding;
}

function pair(v: Pair | undefined, dflt: number, what: string): [number, number] {
  const p: [number, number] = v === undefined ? [dflt, dflt] : typeof v === "number" ? [v, v] : [v[0], v[1]];
  if (!p.every((d) => Number.isInteger(d) && d >= 1))
    throw new ArgumentError(`${what} must be positive integers, got ${String(v)}.`);
  return p;
}

function padding(v: Padding | undefined): [number, number, number, number] {
  const p: number[] =
    v === undefined
      ? [0, 0, 0, 0]
      : typeof v === "number"
        ? [v, v, v, v]
        : v.length === 2
          ? [v[0], v[0], v[1], v[1]]
          : [...v];
  if (p.length !== 4 || !p.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(
      `pad must be a non-negative integer, [w, h] or [wLow, wHigh, hLow, hHigh]; got ${String(v)}.`,
    );
  }
  return p as [number, number, number, number];
}

function four(x: Tensor, op: string): [number, number, number, number] {
  if (x.rank !== 4) {
    throw new ShapeError(
      `${op}: the input must be 4-D [W, H, C, N] (Flux layout), got [${x.shape.join(", ")}]; reshape a single image to [W, H, C, 1].`,
    );
  }
  return x.shape as unknown as [number, number, number, number];
}

function outDim(n: number, k: number, stride: number, padLo: number, padHi: number, dil: number): number {
  return Math.floor((n + padLo + padHi - dil * (k - 1) - 1) / stride) + 1;
}

/**
 * NNlib's 2-D `conv(x, w; stride, pad, dilation, flipped)`: x `[W, H, Cin, N]`, w `[kW, kH, Cin, Cout]`,
 * result `[W', H', Cout, N]`. Like NNlib (and Flux's `Conv`), it is a TRUE convolution (the kernel is
 * flipped) unless `flipped: true` (cross-correlation, Flux's `CrossCor`). No bias, no groups.
 *
 * @example
 * conv(randn([28, 28, 1, 16]), randn([3, 3, 1, 8]), { pad: 1 }).shape; // [28, 28, 8, 16]
 */
export function conv(x: Tensor, w: Tensor, opts: ConvOpOptions = {}): Tensor {
  const b = backendOf("conv", x, w);
  const g = convGeometry("conv", x, w, opts);
  const out = wrap(b, b.conv2d(x.view("conv"), w.view("conv"), g), g.outShape, x.dtype);
  record([x, w], out, (dy, needs) => convBackward(b, x, w, dy, g, needs));
  return out;
}

/**
 * @internal The checked geometry of `op(x, w, opts)` (a 2-D convolution in Flux's layout); throws a
 * `ShapeError` or `ArgumentError` naming `op` for bad shapes, dtypes and options.
 */
export function convGeometry(op: string, x: Tensor, w: Tensor, opts: ConvOpOptions): Conv2dGeometry {
  checkOpOptions(op, opts, ["stride", "pad", "dilation", "flipped"], "{ stride: 2, pad: 1 }");
  requireFloat(op, x.dtype);
  const inShape = four(x, op);
  const weightShape = four(w, `${op} (weight)`);
  if (x.dtype !== w.dtype)
    throw new ShapeError(
      `${op}: input is ${x.dtype}, weight ${w.dtype}; cast the input first: cast(x, "${w.dtype}").`,
    );
  if (inShape[2] !== weightShape[2]) {
    throw new ShapeError(
      `${op}: the input has ${inShape[2]} channels (dim 3) but the weight expects ${weightShape[2]} (its dim 3).`,
    );
  }
  const stride = pair(opts.stride, 1, `${op} stride`);
  const dilation = pair(opts.dilation, 1, `${op} dilation`);
  const pad = padding(opts.pad);
  const oW = outDim(inShape[0], weightShape[0], stride[0], pad[0], pad[1], dilation[0]);
  const oH = outDim(inShape[1], weightShape[1], stride[1], pad[2], pad[3], dilation[1]);
  if (oW < 1 || oH < 1)
    throw new ShapeError(
      `${op}: the (dilated) kernel is larger than the padded input [${inShape.join(", ")}].`,
    );
  return {
    stride,
    pad,
    dilation,
    flipped: opts.flipped ?? false,
    inShape,
    weightShape,
    outShape: [oW, oH, weightShape[3], inShape[3]],
  };
}

/** @internal conv's cotangents for x and w from the output's cotangent `dy` (needs: [x, w]). */
export function convBackward(
  b: Backend,
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  g: Conv2dGeometry,
  needs: readonly boolean[],
): (Tensor | null)[] {
  return [
    needs[0] ? wrap(b, b.conv2dBackwardInput(dy.view("conv"), w.view("conv"), g), g.inShape, x.dtype) : null,
    needs[1]
      ? wrap(b, b.conv2dBackwardFilter(x.view("conv"), dy.view("conv"), g), g.weightShape, x.dtype)
      : null,
  ];
}

function pool(op: PoolOp, x: Tensor, window: Pair, opts: PoolOpOptions): Tensor {
  checkOpOptions(`${op}pool`, opts, ["stride", "pad"], "{ stride: 2, pad: 1 }");
  const name = `${op}pool`;
  const b = backendOf(name, x);
  requireFloat(name, x.dtype);
  const inShape = four(x, name);
  const k = pair(window, 1, `${name} window`);
  const s: [number, number] = opts.stride === undefined ? k : pair(opts.stride, 1, `${name} stride`);
  const pad = padding(opts.pad);
  const oW = outDim(inShape[0], k[0], s[0], pad[0], pad[1], 1);
  const oH = outDim(inShape[1], k[1], s[1], pad[2], pad[3], 1);
  if (oW < 1 || oH < 1)
    throw new ShapeError(
      `${name}: the window [${k.join(", ")}] is larger than the input [${inShape.join(", ")}].`,
    );
  const g: Pool2dGeometry = {
    window: k,
    stride: s,
    pad,
    inShape,
    outShape: [oW, oH, inShape[2], inShape[3]],
  };
  const out = wrap(b, b.pool2d(op, x.view(name), g), g.outShape, x.dtype);
  record([x], out, (dy) => [
    wrap(b, b.pool2dBackward(op, x.view(name), out.view(name), dy.view(name), g), inShape, x.dtype),
  ]);
  return out;
}

/**
 * NNlib's `maxpool(x, window; stride = window, pad = 0)` over `[W, H, C, N]`.
 *
 * @example
 * maxpool(randn([28, 28, 8, 16]), 2).shape; // [14, 14, 8, 16]
 */
export function maxpool(x: Tensor, window: Pair, opts: PoolOpOptions = {}): Tensor {
  return pool("max", x, window, opts);
}

/**
 * NNlib's `meanpool(x, window; stride = window, pad = 0)`; padding counts in the divisor, as NNlib.
 *
 * @example
 * meanpool(ones([4, 4, 1, 1]), [2, 2]).shape; // [2, 2, 1, 1]
 */
export function meanpool(x: Tensor, window: Pair, opts: PoolOpOptions = {}): Tensor {
  return pool("mean", x, window, opts);
}
