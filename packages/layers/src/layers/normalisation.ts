// What BatchNorm, InstanceNorm and GroupNorm share (Flux's normalise.jl: `_norm_layer_forward`,
// `_track_stats!` and the common fields): the fields and their construction, batch or running statistics,
// the in-place update of the running ones, `(x - μ) / √(σ² + ε)`, the per-channel affine part and λ, the
// train/test mode and Flux's printing. Each layer keeps only what differs: which dims its statistics reduce
// over (and GroupNorm's grouping).
import { add, assign, cast, mean, mul, reshape, rsqrt, square, sub, type Tensor } from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { LayerArgumentError } from "../errors.js";
import { checkActivation, checkArgCount, optionNames, optionsArg } from "./arguments.js";
import { identityFn } from "../identity.js";
import { type Init, ones32, zeros32 } from "../init.js";
import { isActive, SET_ACTIVE } from "../mode.js";
import { AbstractLayer } from "./base.js";

/** The keyword options every normalisation layer takes (Flux's keywords, camelCase). */
export interface NormOptions {
  initβ?: Init;
  initγ?: Init;
  /** Learnable per-channel shift and scale. */
  affine?: boolean;
  active?: boolean | null;
  /** Default 1e-5. */
  eps?: number;
  /** Default 0.1. */
  momentum?: number;
}

/** @internal The names of `NormOptions`, for the norm layers' option checks (`optionNames`). */
export const NORM_OPTION_NAMES = {
  initβ: true,
  initγ: true,
  affine: true,
  active: true,
  eps: true,
  momentum: true,
} as const satisfies { readonly [K in keyof Required<NormOptions>]: true };

/** @internal The base of BatchNorm, InstanceNorm and GroupNorm. */
export abstract class NormLayer extends AbstractLayer {
  λ: Activation;
  /** Per-channel shift (Flux's `β`), `[chs]`, or null without `affine`. */
  beta: Tensor | null;
  /** Per-channel scale (Flux's `γ`). */
  gamma: Tensor | null;
  /** Running mean (Flux's `μ`) with `trackStats`, non-trainable. */
  mean: Tensor | null;
  /** Running variance (Flux's `σ²`) with `trackStats`, non-trainable. */
  var: Tensor | null;
  eps: number;
  momentum: number;
  affine: boolean;
  trackStats: boolean;
  active: boolean | null;
  chs: number;

  /** `defaults`: the layer's own defaults of `affine` and `trackStats` (Flux's differ per layer). */
  protected constructor(
    chs: number,
    λ: Activation | undefined,
    opts: NormOptions & { trackStats?: boolean },
    defaults: { affine: boolean; trackStats: boolean },
  ) {
    super();
    this.λ = λ ?? identityFn;
    this.affine = opts.affine ?? defaults.affine;
    this.trackStats = opts.trackStats ?? defaults.trackStats;
    this.beta = this.affine ? (opts.initβ ?? zeros32)([chs]) : null;
    this.gamma = this.affine ? (opts.initγ ?? ones32)([chs]) : null;
    this.mean = this.trackStats ? zeros32([chs]) : null;
    this.var = this.trackStats ? ones32([chs]) : null;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.active = opts.active ?? null;
    this.chs = chs;
  }

  /**
   * The mean and (biased) variance of `x` over `dims`: the batch's when training or without `trackStats`
   * (then `track` updates the running ones), else the running statistics reshaped to `statShape`.
   */
  protected statistics(
    x: Tensor,
    dims: number[],
    statShape: number[],
    track: (μ: Tensor, σ2: Tensor) => void,
  ): [Tensor, Tensor] {
    const training = isActive(this.active);
    if (!training && this.trackStats) return [reshape(this.mean!, statShape), reshape(this.var!, statShape)];
    const μ = mean(x, { dims });
    const σ2 = mean(square(sub(x, μ)), { dims });
    if (training && this.trackStats) track(μ, σ2);
    return [μ, σ2];
  }

  /**
   * Moves the running statistics towards the per-channel `μ` and `σ2` (`[chs]`) by the momentum, in place:
   * `μ = (1-m)μ + m·mean`, `σ² = (1-m)σ² + varFactor·var` (`varFactor` is m times the unbiasing correction).
   * Written, not replaced: they live outside any gradient call, and writing keeps them valid after
   * `gradient` frees its temporaries.
   */
  protected trackRunning(μ: Tensor, σ2: Tensor, varFactor: number): void {
    const m = this.momentum;
    // Statistics of an input of another float type (f64 into f32 running statistics) are converted to the
    // statistics' type, as Flux's `bn.μ = ...` converts on assignment.
    const T = this.mean!.dtype;
    const μT = μ.dtype === T ? μ : cast(μ, T);
    const σ2T = σ2.dtype === T ? σ2 : cast(σ2, T);
    assign(this.mean!, add(mul(this.mean!, 1 - m), mul(μT, m)));
    assign(this.var!, add(mul(this.var!, 1 - m), mul(σ2T, varFactor)));
  }

  /** `centred / √(σ² + ε)`. */
  protected standardise(centred: Tensor, σ2: Tensor): Tensor {
    return mul(centred, rsqrt(add(σ2, this.eps)));
  }

  /** The per-channel affine part (γ and β reshaped to `affineShape`), then λ. */
  protected affineAct(y: Tensor, affineShape: number[]): Tensor {
    const out = this.affine
      ? add(mul(y, reshape(this.gamma!, affineShape)), reshape(this.beta!, affineShape))
      : y;
    return this.λ === identityFn ? out : this.λ(out);
  }

  [SET_ACTIVE](active: boolean | null): void {
    this.active = active;
  }

  /** Flux's text: `Name(args, λ, affine=false, active=...)`, the last three only when not the default. */
  protected showNorm(name: string, args: string): string {
    const act = this.λ === identityFn ? "" : `, ${activationName(this.λ)}`;
    return `${name}(${args}${act}${this.affine ? "" : ", affine=false"}${this.active === null ? "" : `, active=${this.active}`})`;
  }
}

/** Throws unless `chs` is a positive integer (the channel count of `name`). */
export function checkChannels(name: string, chs: number): void {
  if (!Number.isInteger(chs) || chs < 1)
    throw new LayerArgumentError(`${name}(chs): chs must be a positive integer, got ${chs}.`);
}

/** @internal The options of the norm layers that may keep running statistics (BatchNorm, InstanceNorm). */
export interface TrackedNormOptions extends NormOptions {
  /** Keep running statistics for test mode (the default is each layer's: Flux's). */
  trackStats?: boolean;
}
const TRACKED_NORM_OPTIONS = optionNames<TrackedNormOptions>({ ...NORM_OPTION_NAMES, trackStats: true });

/**
 * @internal The argument checks of `name(chs, λ?, opts?)` (BatchNorm, InstanceNorm): at most three
 * arguments, a channel count, an activation and known options. Returns the options to read.
 */
export function checkNormArgs<O extends TrackedNormOptions>(
  name: string,
  args: IArguments,
  chs: number,
  λ: Activation | undefined,
  opts: O | undefined,
): O {
  checkArgCount(name, args, 3, `${name}(chs, λ?, opts?)`);
  checkChannels(name, chs);
  checkActivation(name, λ);
  return optionsArg(name, opts, TRACKED_NORM_OPTIONS);
}

/** The shape `[1, ..., chs, 1]` of per-channel values against an input of shape `shape` (channels at N-1). */
export function channelShape(shape: readonly number[]): number[] {
  const N = shape.length;
  return shape.map((d, i) => (i === N - 2 ? d : 1));
}

/** The children of a normalisation layer, Flux's field order (GroupNorm puts `G` first). */
export const NORM_FIELDS = [
  "λ",
  "beta",
  "gamma",
  "mean",
  "var",
  "eps",
  "momentum",
  "affine",
  "trackStats",
  "active",
  "chs",
] as const;
