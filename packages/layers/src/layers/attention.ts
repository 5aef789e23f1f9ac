// Flux 0.16's MultiHeadAttention (src/layers/attention.jl): q/k/v/out `Dense` projections (no bias by
// default) around NNlib's dot_product_attention, with attention dropout.
import { type AttentionOptions, dotProductAttention, isTensor, type Tensor } from "@flux/kernels";
import { checkArgCount, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { type Init, glorotUniform } from "../init.js";
import { layerConstructor } from "../layer.js";
import { AbstractLayer } from "./base.js";
import { Dense } from "./dense.js";
import { isActive } from "../mode.js";
import { Dropout } from "./dropout.js";

/**
 * MultiHeadAttention's dims, Flux's forms: `dims` (all equal), `[in, qkv, out]` (Flux's
 * `in => qkv => out`), `[in, [qk, v], out]`, or `[[qIn, kIn, vIn], [qk, v], out]`.
 */
export type MHADims =
  | number
  | readonly [number | readonly [number, number, number], number | readonly [number, number], number];

/** Options of `MultiHeadAttention` (Flux's keywords, camelCase). */
export interface MultiHeadAttentionOptions {
  /** Number of heads (default 8). */
  nheads?: number;
  /** Biases in the four projections (default false). */
  bias?: boolean;
  /** Weight initialiser of the projections (default `glorotUniform`). */
  init?: Init;
  /** Dropout probability of the attention weights (default 0). */
  dropoutProb?: number;
}

/** Options of a forward call: Flux's positional `bias` and keyword `mask`. */
export interface MHAForwardOptions {
  /** Added to the scores, broadcastable to `[kvLen, qLen, nheads, batch]`. */
  bias?: Tensor | null;
  /** A bool mask broadcastable to `[kvLen, qLen, nheads, batch]` (false = masked), or `"causal"`. */
  mask?: Tensor | "causal" | null;
}

interface NormDims {
  qIn: number;
  kIn: number;
  vIn: number;
  qk: number;
  v: number;
  out: number;
}

function normalizeDims(dims: MHADims): NormDims {
  const bad = () =>
    new LayerArgumentError(
      `MultiHeadAttention(dims): dims must be a number, [in, qkv, out], [in, [qk, v], out] or [[qIn, kIn, vIn], [qk, v], out]; got ${JSON.stringify(dims)}.`,
    );
  let d: NormDims;
  if (typeof dims === "number") d = { qIn: dims, kIn: dims, vIn: dims, qk: dims, v: dims, out: dims };
  else {
    if (!Array.isArray(dims) || dims.length !== 3) throw bad();
    const [inn, qkv, out] = dims;
    const [qIn, kIn, vIn] = typeof inn === "number" ? [inn, inn, inn] : inn;
    const [qk, v] = typeof qkv === "number" ? [qkv, qkv] : qkv;
    d = { qIn: qIn!, kIn: kIn!, vIn: vIn!, qk: qk!, v: v!, out };
  }
  if (!Object.values(d).every((x) => Number.isInteger(x) && x >= 1)) throw bad();
  return d;
}

const MHA_OPTIONS = optionNames<MultiHeadAttentionOptions>({
  nheads: true,
  bias: true,
  init: true,
  dropoutProb: true,
});

class MultiHeadAttentionLayer extends AbstractLayer {
  nheads: number;
  q_proj: Dense;
  k_proj: Dense;
  v_proj: Dense;
  attn_drop: Dropout;
  out_proj: Dense;

  constructor(dims: MHADims, opts: MultiHeadAttentionOptions = {}) {
    super();
    checkArgCount("MultiHeadAttention", arguments, 2, "MultiHeadAttention(dims, opts?)");
    opts = optionsArg("MultiHeadAttention", opts, MHA_OPTIONS);
    const d = normalizeDims(dims);
    const nheads = opts.nheads ?? 8;
    if (!Number.isInteger(nheads) || nheads < 1)
      throw new LayerArgumentError(`MultiHeadAttention: nheads must be a positive integer, got ${nheads}.`);
    if (d.qk % nheads !== 0)
      throw new LayerArgumentError(`qk_dim = ${d.qk} should be divisible by nheads = ${nheads}.`);
    if (d.v % nheads !== 0)
      throw new LayerArgumentError(`v_dim = ${d.v} should be divisible by nheads = ${nheads}.`);
    const dense = { bias: opts.bias ?? false, init: opts.init ?? glorotUniform };
    this.nheads = nheads;
    this.q_proj = Dense(d.qIn, d.qk, undefined, dense);
    this.k_proj = Dense(d.kIn, d.qk, undefined, dense);
    this.v_proj = Dense(d.vIn, d.v, undefined, dense);
    this.attn_drop = Dropout(opts.dropoutProb ?? 0);
    this.out_proj = Dense(d.v, d.out, undefined, dense);
  }

  /**
   * Flux's `mha(q, [k, v]; bias, mask)`: `k` defaults to `q` (self-attention) and `v` to `k`. Inputs are
   * `[dim, len, batch]`; returns `[y, α]` with `y` `[out, qLen, batch]` and the attention weights `α`
   * `[kvLen, qLen, nheads, batch]`. A trailing options object gives `bias` and `mask` (`"causal"` for a
   * language model).
   */
  forward(q: Tensor, ...rest: (Tensor | MHAForwardOptions | undefined)[]): [Tensor, Tensor] {
    const last = rest[rest.length - 1];
    const opts: MHAForwardOptions =
      last !== undefined && !isTensor(last) ? (rest.pop() as MHAForwardOptions) : {};
    const [k = q, v = k] = rest as (Tensor | undefined)[];
    for (const [n, t, p] of [
      ["query", q, this.q_proj],
      ["key", k, this.k_proj],
      ["value", v, this.v_proj],
    ] as const) {
      if (!isTensor(t) || t.rank !== 3 || t.shape[0] !== p.weight.shape[1])
        throw new LayerInputError(
          `${this.showCompact()} expects the ${n} as [${p.weight.shape[1]}, len, batch], got ${isTensor(t) ? `[${t.shape.join(", ")}]` : typeof t}.`,
        );
    }
    const att: AttentionOptions = {
      nheads: this.nheads,
      mask: opts.mask ?? null,
      bias: opts.bias ?? null,
    };
    // Dropout that would pass the weights through unchanged (testmode, or p = 0) is left out, so the
    // common case can take the backend's fused attention.
    if (this.attn_drop.p > 0 && isActive(this.attn_drop.active)) att.fdrop = (a) => this.attn_drop.forward(a);
    const [x, α] = dotProductAttention(
      this.q_proj.forward(q),
      this.k_proj.forward(k),
      this.v_proj.forward(v),
      att,
    );
    return [this.out_proj.forward(x), α];
  }

  showCompact(): string {
    const [qk, qIn] = this.q_proj.weight.shape as [number, number];
    const kIn = this.k_proj.weight.shape[1]!;
    const [v, vIn] = this.v_proj.weight.shape as [number, number];
    const out = this.out_proj.weight.shape[0]!;
    let s = "MultiHeadAttention(";
    if (qIn === kIn && kIn === vIn && vIn === qk && qk === v && v === out) s += `${qIn}`;
    else if (qIn === kIn && kIn === vIn && qk === v) s += `${qIn} => ${qk} => ${out}`;
    else if (qIn === kIn && kIn === vIn) s += `${qIn} => (${qk}, ${v}) => ${out}`;
    else s += `(${qIn}, ${kIn}, ${vIn}) => (${qk}, ${v}) => ${out}`;
    s += `; nheads=${this.nheads}`;
    if (this.q_proj.bias !== false) s += ", bias=true";
    if (this.attn_drop.p !== 0) s += `, dropout_prob=${this.attn_drop.p}`;
    return `${s})`;
  }
}

/**
 * Flux's `MultiHeadAttention(dims; nheads = 8, bias = false, init, dropout_prob = 0)`.
 *
 * `forward(q, k?, v?, { bias?, mask? })` returns `[y, α]` as Flux. Fields `nheads, q_proj, k_proj, v_proj,
 * attn_drop, out_proj` (Flux's names; the projections are `Dense` layers). Dims as Flux: `64`,
 * `[64, 1024, 1024]` for `64 => 1024 => 1024`, `[[3, 4, 5], [6, 7], 8]` for `(3, 4, 5) => (6, 7) => 8`.
 *
 * @example
 * const mha = MultiHeadAttention(64, { nheads: 8 });
 * const [y, α] = mha.forward(x, { mask: "causal" }); // x [64, len, batch]; α [len, len, 8, batch]
 */
export const MultiHeadAttention = layerConstructor(MultiHeadAttentionLayer, [
  "nheads",
  "q_proj",
  "k_proj",
  "v_proj",
  "attn_drop",
  "out_proj",
]);
/** A MultiHeadAttention layer (see `MultiHeadAttention`). */
export type MultiHeadAttention = MultiHeadAttentionLayer;
