// Flux's Upsample and PixelShuffle (src/layers/upsample.jl) over NNlib's upsample_nearest,
// upsample_linear/bilinear/trilinear (align_corners = true, NNlib's default) and pixel_shuffle, composed
// from kernels ops: nearest is a gather per spatial dim, the linear modes one small interpolation matmul
// per spatial dim, pixel_shuffle a reshape and a permutedims.
import { matmul, permutedims, reshape, selectdim, type Tensor, tensor } from "@flux/kernels";
import { checkArgCount, describeArg, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { layerConstructor } from "../layer.js";
import { AbstractLayer } from "./base.js";
import { checkTensorInput } from "./input.js";

/** Upsample's modes (Flux's symbols). */
export type UpsampleMode = "nearest" | "bilinear" | "trilinear";

/** Options of `Upsample`: exactly one of `scale` and `size`. */
export interface UpsampleOptions {
  /** One factor for every spatial dim, or one per dim. */
  scale?: number | readonly number[];
  /** The output's spatial size. */
  size?: readonly number[];
}

const UPSAMPLE_OPTIONS = optionNames<UpsampleOptions>({ scale: true, size: true });

const MODE_DIMS: Record<UpsampleMode, number | null> = { nearest: null, bilinear: 2, trilinear: 3 };

// Applies the [out, in] matrix m along spatial dim `axis` (0-based) of x.
function alongDim(x: Tensor, axis: number, m: Tensor): Tensor {
  const perm = x.shape.map((_, i) => (i === 0 ? axis : i === axis ? 0 : i) + 1);
  const xt = axis === 0 ? x : permutedims(x, perm);
  const rest = xt.shape.slice(1);
  const y = reshape(matmul(m, reshape(xt, [xt.shape[0]!, -1])), [m.shape[0]!, ...rest]);
  return axis === 0 ? y : permutedims(y, perm);
}

// NNlib's linear interpolation weights with align_corners = true, as an [out, in] matrix (column-major).
function interpolation(inn: number, out: number, like: Tensor): Tensor {
  const m = new Float64Array(out * inn);
  const ratio = out > 1 ? (inn - 1) / (out - 1) : 0;
  for (let o = 0; o < out; o++) {
    const real = ratio * o;
    const i0 = Math.floor(real);
    const i1 = i0 + (i0 < inn - 1 ? 1 : 0);
    const λ1 = real - i0;
    m[o + out * i0] += 1 - λ1;
    m[o + out * i1] += λ1;
  }
  return tensor(m, [out, inn], { dtype: like.dtype, device: like.device });
}

/** @internal NNlib's `upsample_nearest`: each element repeated `scale[i]` times along spatial dim i. */
function upsampleNearest(x: Tensor, scale: readonly number[]): Tensor {
  let y = x;
  scale.forEach((s, i) => {
    if (s === 1) return;
    const idx = Array.from({ length: y.shape[i]! * s }, (_, j) => Math.floor(j / s));
    y = selectdim(y, i + 1, idx);
  });
  return y;
}

class UpsampleLayer extends AbstractLayer {
  mode: UpsampleMode;
  scale: number | readonly number[] | null;
  size: readonly number[] | null;

  constructor(mode?: UpsampleMode, opts?: UpsampleOptions);
  constructor(scale: number | readonly number[], mode?: UpsampleMode);
  constructor(
    first: UpsampleMode | number | readonly number[] = "nearest",
    second?: UpsampleOptions | UpsampleMode,
  ) {
    super();
    checkArgCount("Upsample", arguments, 2, "Upsample(mode?, opts?) or Upsample(scale, mode?)");
    const [mode, opts] =
      typeof first === "string"
        ? [first, optionsArg("Upsample", second as UpsampleOptions | undefined, UPSAMPLE_OPTIONS)]
        : [(second as UpsampleMode | undefined) ?? "nearest", { scale: first }];
    if (!(mode in MODE_DIMS))
      throw new LayerArgumentError(
        `Upsample: mode=${String(mode)} is not supported; use nearest, bilinear or trilinear.`,
      );
    if ((opts.scale === undefined) === (opts.size === undefined))
      throw new LayerArgumentError("Upsample: either scale or size should be specified (but not both).");
    const positive = (v: unknown) => typeof v === "number" && v > 0 && Number.isFinite(v);
    const list = (v: unknown, ok: (d: unknown) => boolean) => Array.isArray(v) && v.length > 0 && v.every(ok);
    if (opts.scale !== undefined && !positive(opts.scale) && !list(opts.scale, positive))
      throw new LayerArgumentError(
        `Upsample: scale must be a positive number or an array of them, got ${describeArg(opts.scale)}.`,
      );
    if (opts.size !== undefined && !list(opts.size, (d) => Number.isInteger(d) && (d as number) >= 1))
      throw new LayerArgumentError(
        `Upsample: size must be an array of positive integers, got ${describeArg(opts.size)}.`,
      );
    this.mode = mode;
    this.scale = opts.scale ?? null;
    this.size = opts.size ? [...opts.size] : null;
  }

  /** `[spatial..., C, N]` to the upsampled size. */
  forward(x: Tensor): Tensor {
    checkTensorInput(this, x);
    const n = x.rank - 2;
    const want = MODE_DIMS[this.mode];
    if (n < 1 || (want !== null && n !== want))
      throw new LayerInputError(
        `${this.showCompact()} expects a ${want === null ? "[spatial..., C, N]" : `${want + 2}-D`} input, got [${x.shape.join(", ")}].`,
      );
    const insize = x.shape.slice(0, n);
    const scales =
      this.scale === null
        ? null
        : typeof this.scale === "number"
          ? insize.map(() => this.scale as number)
          : [...this.scale];
    if (scales !== null && scales.length !== n)
      throw new LayerInputError(`${this.showCompact()}: ${scales.length} scales for ${n} spatial dims.`);
    const outsize = this.size ?? insize.map((d, i) => Math.floor(d * scales![i]!));
    if (outsize.length !== n)
      throw new LayerInputError(`${this.showCompact()}: ${outsize.length} sizes for ${n} spatial dims.`);
    if (this.mode === "nearest") {
      const s = outsize.map((o, i) => o / insize[i]!);
      if (s.some((v) => !Number.isInteger(v) || v < 1))
        throw new LayerInputError(
          `${this.showCompact()}: nearest upsampling needs integer factors; [${insize.join(", ")}] to [${outsize.join(", ")}] is not.`,
        );
      return upsampleNearest(x, s);
    }
    let y = x;
    for (let i = 0; i < n; i++)
      if (outsize[i] !== insize[i]) y = alongDim(y, i, interpolation(insize[i]!, outsize[i]!, x));
    return y;
  }

  showCompact(): string {
    let s = `Upsample(:${this.mode}`;
    const tuple = (v: number | readonly number[]) =>
      typeof v === "number" ? String(v) : `(${v.join(", ")})`;
    if (this.scale !== null) s += `, scale = ${tuple(this.scale)}`;
    if (this.size !== null) s += `, size = ${tuple(this.size)}`;
    return `${s})`;
  }
}

/**
 * Flux's `Upsample(mode = :nearest; scale, size)` or `Upsample(scale, mode)`: upsampling of the spatial dims
 * of `[spatial..., C, N]` input; `"nearest"` (integer factors, any number of dims), `"bilinear"` (2-D) or
 * `"trilinear"` (3-D), with NNlib's `align_corners = true`.
 *
 * @example
 * Upsample("nearest", { scale: [2, 3] }).forward(randn([4, 4, 1, 1])).shape; // [8, 12, 1, 1]
 * Upsample("bilinear", { size: [4, 5] }).forward(randn([2, 2, 1, 1])).shape; // [4, 5, 1, 1]
 */
export const Upsample = layerConstructor(UpsampleLayer, []) as typeof UpsampleLayer & {
  (mode?: UpsampleMode, opts?: UpsampleOptions): UpsampleLayer;
  (scale: number | readonly number[], mode?: UpsampleMode): UpsampleLayer;
};
/** An Upsample layer (see `Upsample`). */
export type Upsample = UpsampleLayer;

/**
 * NNlib's `pixel_shuffle(x, r)`: `[spatial..., C r^d, N]` to `[spatial .* r..., C, N]` (d spatial dims).
 *
 * @example
 * pixelShuffle(randn([3, 3, 4, 1]), 2).shape; // [6, 6, 1, 1]
 */
export function pixelShuffle(x: Tensor, r: number): Tensor {
  checkTensorInput("pixelShuffle", x);
  const d = x.rank - 2;
  if (d < 1)
    throw new LayerInputError(
      `pixelShuffle: expected x with at least 3 dimensions, got [${x.shape.join(", ")}].`,
    );
  const sizein = x.shape.slice(0, d);
  const cin = x.shape[d]!;
  const n = x.shape[d + 1]!;
  if (cin % r ** d !== 0)
    throw new LayerInputError(
      `pixelShuffle: the channel dim ${cin} must be divisible by r^d = ${r ** d} (r = ${r}, d = ${d} spatial dims).`,
    );
  const cout = cin / r ** d;
  const y = reshape(x, [...sizein, ...new Array<number>(d).fill(r), cout, n]);
  // [d+1, 1, d+2, 2, ..., 2d, d, 2d+1, 2d+2] (1-based): each factor next to its spatial dim, factor first.
  const perm = [...Array.from({ length: d }, (_, i) => [d + 1 + i, 1 + i]).flat(), 2 * d + 1, 2 * d + 2];
  return reshape(permutedims(y, perm), [...sizein.map((s) => s * r), cout, n]);
}

class PixelShuffleLayer extends AbstractLayer {
  r: number;

  constructor(r: number) {
    super();
    checkArgCount("PixelShuffle", arguments, 1, "PixelShuffle(r)");
    if (!Number.isInteger(r) || r < 1)
      throw new LayerArgumentError(`PixelShuffle(r): r must be a positive integer, got ${r}.`);
    this.r = r;
  }

  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.r);
  }

  showCompact(): string {
    return `PixelShuffle(${this.r})`;
  }
}

/**
 * Flux's `PixelShuffle(r)`: `pixelShuffle(x, r)` as a layer (sub-pixel upscaling).
 *
 * @example
 * PixelShuffle(2).forward(randn([3, 3, 4, 1])).shape; // [6, 6, 1, 1]
 */
export const PixelShuffle = layerConstructor(PixelShuffleLayer, ["r"]);
/** A PixelShuffle layer (see `PixelShuffle`). */
export type PixelShuffle = PixelShuffleLayer;
