// Convolutions and pools over 1, 2 or 3 spatial dims, with groups and transposes, composed from kernels'
// differentiable 2-D `conv`, `maxpool` and `meanpool` (so every backend and gradient works unchanged):
//   1-D      a 2-D op on [W, 1, C, N] (height 1): no extra cost;
//   3-D      one 2-D op per depth tap, the output depths folded into the batch (a gather and a permute per
//            tap, then a sum): kD convolutions instead of one 3-D kernel;
//   groups   one convolution per group on channel slices, joined with `cat`: G convolutions (a depthwise
//            convolution costs one per channel);
//   transpose  the input spread out by the stride (zeros between elements), then a cross-correlation with
//            the kernel's channel dims swapped: the data gradient of a convolution, as a forward pass.
import {
  add,
  cat,
  conv,
  fill,
  maximum,
  maxpool,
  meanpool,
  mul,
  permutedims,
  reshape,
  selectdim,
  type Tensor,
  zeros,
} from "@flux/kernels";

/** @internal Resolved geometry of an N-D convolution. */
export interface ConvGeometryN {
  readonly stride: readonly number[];
  /** `[low1, high1, low2, high2, ...]`. */
  readonly pad: readonly number[];
  readonly dilation: readonly number[];
  /** `true`: cross-correlation (Flux's CrossCor); `false`: true convolution (the kernel flipped). */
  readonly flipped: boolean;
  readonly groups: number;
}

const range = (start: number, stop: number) => ({ start, stop });

function zerosLikeShape(x: Tensor, shape: number[], value = 0): Tensor {
  return value === 0
    ? zeros(shape, { dtype: x.dtype, device: x.device })
    : fill(value, shape, { dtype: x.dtype, device: x.device });
}

// Pads spatial dim `axis` (0-based) of x with `lo`/`hi` copies of `value`.
function padDim(x: Tensor, axis: number, lo: number, hi: number, value = 0): Tensor {
  if (lo === 0 && hi === 0) return x;
  const parts: Tensor[] = [];
  const withLen = (n: number) => x.shape.map((d, i) => (i === axis ? n : d));
  if (lo > 0) parts.push(zerosLikeShape(x, withLen(lo), value));
  parts.push(x);
  if (hi > 0) parts.push(zerosLikeShape(x, withLen(hi), value));
  return cat(parts, axis + 1);
}

function outLen(n: number, k: number, s: number, lo: number, hi: number, d: number): number {
  return Math.floor((n + lo + hi - d * (k - 1) - 1) / s) + 1;
}

/** @internal An N-D convolution (x `[spatial..., C, B]`, w `[k..., C/groups, Cout]`). */
export function convNd(x: Tensor, w: Tensor, g: ConvGeometryN): Tensor {
  const n = x.rank - 2;
  if (g.groups > 1) {
    const cg = x.shape[n]! / g.groups;
    const og = w.shape[n + 1]! / g.groups;
    const ys: Tensor[] = [];
    for (let i = 0; i < g.groups; i++) {
      const xi = selectdim(x, n + 1, range(i * cg, (i + 1) * cg));
      const wi = selectdim(w, n + 2, range(i * og, (i + 1) * og));
      ys.push(convNd(xi, wi, { ...g, groups: 1 }));
    }
    return cat(ys, n + 1);
  }
  if (n === 2) {
    return conv(x, w, {
      stride: g.stride as [number, number],
      pad: g.pad as [number, number, number, number],
      dilation: g.dilation as [number, number],
      flipped: g.flipped,
    });
  }
  if (n === 1) {
    const [W, C, B] = x.shape as [number, number, number];
    const [k, cin, cout] = w.shape as [number, number, number];
    const y = conv(reshape(x, [W, 1, C, B]), reshape(w, [k, 1, cin, cout]), {
      stride: [g.stride[0]!, 1],
      pad: [g.pad[0]!, g.pad[1]!, 0, 0],
      dilation: [g.dilation[0]!, 1],
      flipped: g.flipped,
    });
    return reshape(y, [y.shape[0]!, cout, B]);
  }
  // 3-D: one 2-D convolution per depth tap, output depths folded into the batch.
  const [W, H, , C, B] = x.shape as [number, number, number, number, number];
  const [, , kD, , cout] = w.shape as [number, number, number, number, number];
  const xp = padDim(x, 2, g.pad[4]!, g.pad[5]!);
  const Dp = xp.shape[2]!;
  const [sD, dD] = [g.stride[2]!, g.dilation[2]!];
  const Do = outLen(Dp, kD, sD, 0, 0, dD);
  let acc: Tensor | null = null;
  for (let kd = 0; kd < kD; kd++) {
    const idx = Array.from({ length: Do }, (_, j) => j * sD + kd * dD);
    const xs = reshape(permutedims(selectdim(xp, 3, idx), [1, 2, 4, 3, 5]), [W, H, C, Do * B]);
    // A true convolution pairs input tap kd with the kernel's flipped index.
    const wk = selectdim(w, 3, g.flipped ? kd : kD - 1 - kd);
    const yk = conv(xs, wk, {
      stride: [g.stride[0]!, g.stride[1]!],
      pad: [g.pad[0]!, g.pad[1]!, g.pad[2]!, g.pad[3]!],
      dilation: [g.dilation[0]!, g.dilation[1]!],
      flipped: g.flipped,
    });
    acc = acc === null ? yk : add(acc, yk);
  }
  const y = acc!;
  return permutedims(reshape(y, [y.shape[0]!, y.shape[1]!, cout, Do, B]), [1, 2, 4, 3, 5]);
}

// Zeros between the elements of spatial dim `axis` (s - 1 of them), Julia's `upsample` for the transpose.
function spread(x: Tensor, axis: number, s: number): Tensor {
  if (s === 1) return x;
  const len = x.shape[axis]!;
  const before = x.shape.slice(0, axis);
  const after = x.shape.slice(axis + 1);
  const x1 = reshape(x, [...before, 1, len, ...after]);
  const z = zerosLikeShape(x, [...before, s - 1, len, ...after]);
  const both = reshape(cat([x1, z], axis + 1), [...before, s * len, ...after]);
  return selectdim(both, axis + 1, range(0, (len - 1) * s + 1));
}

/** @internal Resolved geometry of a transposed convolution. */
export interface ConvTransposeGeometryN {
  readonly stride: readonly number[];
  readonly pad: readonly number[];
  readonly outpad: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

/**
 * @internal NNlib's `∇conv_data(x, w)` as Flux's ConvTranspose uses it: x `[spatial..., Cin, B]`, w
 * `[k..., Cout/groups, Cin]`; output size `(n - 1) s + 1 + (k - 1) d - padLo - padHi + outpad` per dim.
 */
export function convTransposeNd(x: Tensor, w: Tensor, g: ConvTransposeGeometryN): Tensor {
  const n = x.rank - 2;
  if (g.groups > 1) {
    const cg = x.shape[n]! / g.groups;
    const ys: Tensor[] = [];
    for (let i = 0; i < g.groups; i++) {
      const xi = selectdim(x, n + 1, range(i * cg, (i + 1) * cg));
      const wi = selectdim(w, n + 2, range(i * cg, (i + 1) * cg));
      ys.push(convTransposeNd(xi, wi, { ...g, groups: 1 }));
    }
    return cat(ys, n + 1);
  }
  let xu = x;
  for (let i = 0; i < n; i++) xu = spread(xu, i, g.stride[i]!);
  // Cross-correlate with pad (k - 1) d - p (+ outpad high); a negative pad is a crop of the result.
  const lo: number[] = [];
  const hi: number[] = [];
  for (let i = 0; i < n; i++) {
    const full = (w.shape[i]! - 1) * g.dilation[i]!;
    lo.push(full - g.pad[2 * i]!);
    hi.push(full - g.pad[2 * i + 1]! + g.outpad[i]!);
  }
  const perm = [...Array.from({ length: n }, (_, i) => i + 1), n + 2, n + 1];
  let y = convNd(xu, permutedims(w, perm), {
    stride: new Array<number>(n).fill(1),
    pad: lo.flatMap((l, i) => [Math.max(l, 0), Math.max(hi[i]!, 0)]),
    dilation: g.dilation,
    flipped: true,
    groups: 1,
  });
  for (let i = 0; i < n; i++) {
    const cutLo = Math.max(-lo[i]!, 0);
    const cutHi = Math.max(-hi[i]!, 0);
    if (cutLo > 0 || cutHi > 0) y = selectdim(y, i + 1, range(cutLo, y.shape[i]! - cutHi));
  }
  return y;
}

/** @internal N-D max or mean pooling (padding counts in the mean's divisor, as NNlib). */
export function poolNd(
  op: "max" | "mean",
  x: Tensor,
  k: readonly number[],
  stride: readonly number[],
  pad: readonly number[],
): Tensor {
  const n = x.rank - 2;
  const f = op === "max" ? maxpool : meanpool;
  if (n === 2)
    return f(x, k as [number, number], {
      stride: stride as [number, number],
      pad: pad as [number, number, number, number],
    });
  if (n === 1) {
    const [W, C, B] = x.shape as [number, number, number];
    const y = f(reshape(x, [W, 1, C, B]), [k[0]!, 1], {
      stride: [stride[0]!, 1],
      pad: [pad[0]!, pad[1]!, 0, 0],
    });
    return reshape(y, [y.shape[0]!, C, B]);
  }
  // 3-D: pooling is separable; pool W and H with depth folded into the channels, then the depth windows.
  const [W, H, D, C, B] = x.shape as [number, number, number, number, number];
  const y2 = f(reshape(x, [W, H, D * C, B]), [k[0]!, k[1]!], {
    stride: [stride[0]!, stride[1]!],
    pad: [pad[0]!, pad[1]!, pad[2]!, pad[3]!],
  });
  const y3 = reshape(y2, [y2.shape[0]!, y2.shape[1]!, D, C, B]);
  const yp = padDim(y3, 2, pad[4]!, pad[5]!, op === "max" ? Number.NEGATIVE_INFINITY : 0);
  const Do = outLen(yp.shape[2]!, k[2]!, stride[2]!, 0, 0, 1);
  let acc: Tensor | null = null;
  for (let j = 0; j < k[2]!; j++) {
    const s = selectdim(
      yp,
      3,
      Array.from({ length: Do }, (_, o) => o * stride[2]! + j),
    );
    acc = acc === null ? s : op === "max" ? maximum(acc, s) : add(acc, s);
  }
  return op === "max" ? acc! : mul(acc!, 1 / k[2]!);
}
