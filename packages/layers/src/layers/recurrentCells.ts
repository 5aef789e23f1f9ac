// Flux 0.16's recurrent cells (src/layers/recurrent.jl): RNNCell, LSTMCell, GRUCell, GRUv3Cell. A cell maps
// one time step `(x, state) -> (output, state')`; it holds no state of its own. The sequence layers
// (./recurrent.ts) run a cell over the time dim.
//
// Every cell splits its step in two so that a sequence layer can hoist the input half out of the time loop:
// `project(x)` is `Wi * x .+ b` (one GEMM over all time steps at once) and `step(xp, state)` is the
// recurrent half (one `Wh * h` GEMM per step: the LSTM's four gates, and the GRU's three, come out of ONE
// matmul with the stacked `Wh`, as in Flux). Both halves are compositions of kernels ops, so they run on
// any backend (and on WebGPU they only queue GPU work: nothing is read back inside the loop).
import {
  biasAct,
  dense,
  gruSequence,
  isTensor,
  lstmSequence,
  matmul,
  mul,
  muladd,
  reshape,
  selectdim,
  sigmoid,
  sub,
  type Tensor,
  tanh,
  tidy,
  zeros,
} from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { checkActivation, checkArgCount, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { identityFn } from "../identity.js";
import { matchEltype, needsEltype } from "./matchEltype.js";
import { type Init, glorotUniform, zeros32 } from "../init.js";
import { layerConstructor } from "../layer.js";
import { torchLayout } from "../io/torchLayout.js";
import { AbstractLayer } from "./base.js";

/** Options of the recurrent cells and layers (Flux's keywords, camelCase). */
export interface RecurrentCellOptions {
  /** Initialiser of the input kernel `Wi` (Flux's `init_kernel`); default `glorotUniform`. */
  initKernel?: Init;
  /** Initialiser of the recurrent kernel `Wh` (Flux's `init_recurrent_kernel`); default `glorotUniform`. */
  initRecurrentKernel?: Init;
  /** `true` (zeros, default), `false` (no bias) or a tensor of the bias's shape. */
  bias?: boolean | Tensor;
}

const CELL_OPTIONS = optionNames<RecurrentCellOptions>({
  initKernel: true,
  initRecurrentKernel: true,
  bias: true,
});

/** The state of an LSTM: hidden and cell state, `[h, c]` (Flux's tuple `(h, c)`). */
export type LSTMState = readonly [Tensor, Tensor];

/** What a cell's forward returns: `[output, state']` (Flux's tuple). */
export type CellOutput<S> = [Tensor, S];

/** @internal A cell's split step, used by the sequence layers to hoist the input projection. */
export const SCAN_STEP = Symbol.for("flux.layers.scanStep");

/** @internal The split-step protocol of the built-in cells. */
export interface ScanStep<S> {
  /** Width of the input (`size(Wi, 2)`). */
  readonly inputSize: number;
  /** `Wi * x .+ b` for `x` of shape `[in, n]` (or `[in]`). */
  project(x: Tensor): Tensor;
  /**
   * Returns a per-sequence stepper: `prepare()` runs once before the loop (hoists loop-invariant work),
   * the returned function maps `(xp_t, state)` to `[output, state']`.
   */
  prepare(): (xp: Tensor, state: S) => CellOutput<S>;
  /**
   * The whole sequence at once, where the cell has a fused op for it (input projection included): `x` is
   * `[in, len, batch]`; returns every step's output (`[out, len, batch]`) and the last state.
   */
  sequence?(x: Tensor, state: S): CellOutput<S>;
  /** The zero state on the weights' device and dtype. */
  initialstates(): S;
}

function makeBias(bias: boolean | Tensor | undefined, n: number, what: string): Tensor | false {
  if (bias === false) return false;
  if (bias === undefined || bias === true) return zeros32([n]);
  if (!isTensor(bias) || bias.rank !== 1 || bias.shape[0] !== n) {
    throw new LayerArgumentError(
      `${what}: a bias tensor must have shape [${n}], got ${isTensor(bias) ? `[${bias.shape.join(", ")}]` : typeof bias}.`,
    );
  }
  return bias;
}

function checkDims(inn: number, out: number, what: string): void {
  if (![inn, out].every((d) => Number.isInteger(d) && d >= 1)) {
    throw new LayerArgumentError(
      `${what}(in, out): in and out must be positive integers, got ${String(inn)} and ${String(out)}.`,
    );
  }
}

function zeroState(w: Tensor, n: number): Tensor {
  return zeros([n], { device: w.device, dtype: w.dtype });
}

// The rows [k*n, (k+size)*n) of a stacked gate matrix `g` ([K*n, ...]): Flux's `chunk(g, K; dims = 1)[k+1]`
// (size 1) or several neighbouring gates. Read as [n, K, ...] and sliced along dim 2, which is one strided
// copy per gate; slicing a row range of dim 1 directly is a much slower gather on the CPU.
function chunk(g: Tensor, k: number, n: number, size = 1): Tensor {
  const K = g.shape[0]! / n;
  const rest = g.shape.slice(1);
  const picked = selectdim(reshape(g, [n, K, ...rest]), 2, { start: k, stop: k + size });
  return reshape(picked, [size * n, ...rest]);
}

/** @internal Shared body of the cells: input checks and the split step's projection. */
abstract class CellBase<S> extends AbstractLayer {
  /** `[G*out, in]`: the input kernels, gates stacked along dim 1 (Flux's layout). */
  Wi!: Tensor;
  /** `[G*out, out]`: the recurrent kernels, stacked the same way. */
  Wh!: Tensor;
  protected abstract biasOf(): Tensor | false;
  protected abstract stepper(): (xp: Tensor, state: S) => CellOutput<S>;
  abstract initialstates(): S;

  /** The hidden size `out`. */
  get hiddenSize(): number {
    return this.Wh.shape[1]!;
  }

  get [SCAN_STEP](): ScanStep<S> {
    const sequence = this.sequence;
    return {
      inputSize: this.Wi.shape[1]!,
      project: (x) => this.project(x),
      prepare: () => this.stepper(),
      initialstates: () => this.initialstates(),
      ...(sequence === undefined ? {} : { sequence: (x: Tensor, state: S) => sequence.call(this, x, state) }),
    };
  }

  /** The fused recurrence over a whole sequence, for cells that have one (see `ScanStep.sequence`). */
  protected sequence?(x: Tensor, state: S): CellOutput<S>;

  protected project(x: Tensor): Tensor {
    const b = this.biasOf();
    return dense(x, this.Wi, b === false ? null : b);
  }

  protected checkInput(x: Tensor): void {
    const inn = this.Wi.shape[1]!;
    if (!isTensor(x) || (x.rank !== 1 && x.rank !== 2) || x.shape[0] !== inn) {
      throw new LayerInputError(
        `${this.showCompact()} expects an input of size [${inn}] or [${inn}, batch], but got ${isTensor(x) ? `[${x.shape.join(", ")}]` : typeof x}.`,
      );
    }
  }

  /** One time step: `x` is `[in]` or `[in, batch]`; returns `[output, state']` (Flux's tuple). */
  forward(x: Tensor, state?: S): CellOutput<S> {
    this.checkInput(x);
    // Flux's _match_eltype: f64 or integer data into f32 parameters is converted (the copy freed by tidy).
    const dtype = this.Wi.dtype;
    if (needsEltype(x, dtype)) return tidy(() => this.forward(matchEltype(this, x, dtype), state));
    return this.stepper()(this.project(x), state ?? this.initialstates());
  }
}

class RNNCellLayer extends CellBase<Tensor> {
  σ: Activation;
  bias: Tensor | false;

  constructor(inn: number, out: number, σ?: Activation, opts: RecurrentCellOptions = {}) {
    super();
    checkArgCount("RNNCell", arguments, 4, "RNNCell(in, out, σ?, opts?)");
    checkActivation("RNNCell", σ);
    opts = optionsArg("RNNCell", opts, CELL_OPTIONS);
    checkDims(inn, out, "RNNCell");
    this.σ = σ ?? tanh;
    this.Wi = (opts.initKernel ?? glorotUniform)([out, inn]);
    this.Wh = (opts.initRecurrentKernel ?? glorotUniform)([out, out]);
    this.bias = makeBias(opts.bias, out, "RNNCell");
  }

  protected biasOf(): Tensor | false {
    return this.bias;
  }

  /** Flux's `initialstates`: zeros of `[out]`. */
  initialstates(): Tensor {
    return zeroState(this.Wh, this.hiddenSize);
  }

  protected stepper(): (xp: Tensor, h: Tensor) => CellOutput<Tensor> {
    const { Wh, σ } = this;
    return (xp, h) => {
      // σ.(Wi x .+ b .+ Wh h): the add and the activation fused in one pass.
      const hNew = biasAct(σ === identityFn ? null : σ, matmul(Wh, h), xp);
      return [hNew, hNew];
    };
  }

  showCompact(): string {
    return `RNNCell(${this.Wi.shape[1]} => ${this.Wi.shape[0]}, ${activationName(this.σ)})`;
  }
}

class LSTMCellLayer extends CellBase<LSTMState> {
  bias: Tensor | false;

  constructor(inn: number, out: number, opts: RecurrentCellOptions = {}) {
    super();
    checkArgCount("LSTMCell", arguments, 3, "LSTMCell(in, out, opts?)");
    opts = optionsArg("LSTMCell", opts, CELL_OPTIONS);
    checkDims(inn, out, "LSTMCell");
    this.Wi = (opts.initKernel ?? glorotUniform)([4 * out, inn]);
    this.Wh = (opts.initRecurrentKernel ?? glorotUniform)([4 * out, out]);
    this.bias = makeBias(opts.bias, 4 * out, "LSTMCell");
  }

  protected biasOf(): Tensor | false {
    return this.bias;
  }

  /** Flux's `initialstates`: `[h, c]`, zeros of `[out]` each. */
  initialstates(): LSTMState {
    return [zeroState(this.Wh, this.hiddenSize), zeroState(this.Wh, this.hiddenSize)];
  }

  // The sequence layer's path: kernels' lstmSequence, the input projection and the whole time loop as one
  // fused op with one backward pass (the per-step `stepper` below stays the single-step path of `forward`).
  protected override sequence(x: Tensor, [h, c]: LSTMState): CellOutput<LSTMState> {
    const r = lstmSequence(x, this.Wi, this.Wh, this.bias === false ? null : this.bias, h, c);
    return [r.y, [r.h, r.c]];
  }

  protected stepper(): (xp: Tensor, state: LSTMState) => CellOutput<LSTMState> {
    const { Wh } = this;
    const n = this.hiddenSize;
    return (xp, [h, c]) => {
      // One GEMM for the four gates (input, forget, cell, output: Flux's and PyTorch's order).
      const g = muladd(1, matmul(Wh, h), xp);
      const i = sigmoid(chunk(g, 0, n));
      const f = sigmoid(chunk(g, 1, n));
      const cand = tanh(chunk(g, 2, n));
      const o = sigmoid(chunk(g, 3, n));
      const cNew = muladd(f, c, mul(i, cand)); // f .* c .+ i .* tanh(g)
      const hNew = mul(o, tanh(cNew));
      return [hNew, [hNew, cNew]];
    };
  }

  showCompact(): string {
    return `LSTMCell(${this.Wi.shape[1]} => ${this.hiddenSize})`;
  }
}

/** @internal Shared by GRUCell and GRUv3Cell: three stacked gates (reset, update, candidate). */
abstract class GRUBase extends CellBase<Tensor> {
  /** `[3*out]` or `false` (Flux's field name `b`). */
  b!: Tensor | false;

  protected biasOf(): Tensor | false {
    return this.b;
  }

  /** Flux's `initialstates`: zeros of `[out]`. */
  initialstates(): Tensor {
    return zeroState(this.Wh, this.hiddenSize);
  }
}

class GRUCellLayer extends GRUBase {
  constructor(inn: number, out: number, opts: RecurrentCellOptions = {}) {
    super();
    checkArgCount("GRUCell", arguments, 3, "GRUCell(in, out, opts?)");
    opts = optionsArg("GRUCell", opts, CELL_OPTIONS);
    checkDims(inn, out, "GRUCell");
    this.Wi = (opts.initKernel ?? glorotUniform)([3 * out, inn]);
    this.Wh = (opts.initRecurrentKernel ?? glorotUniform)([3 * out, out]);
    this.b = makeBias(opts.bias, 3 * out, "GRUCell");
  }

  // The sequence layer's path: kernels' gruSequence, the input projection and the whole time loop as one
  // fused op with one backward pass (the per-step `stepper` below stays the single-step path of `forward`).
  protected override sequence(x: Tensor, h: Tensor): CellOutput<Tensor> {
    const r = gruSequence(x, this.Wi, this.Wh, this.b === false ? null : this.b, h);
    return [r.y, r.h];
  }

  protected stepper(): (xp: Tensor, h: Tensor) => CellOutput<Tensor> {
    const { Wh } = this;
    const n = this.hiddenSize;
    return (xp, h) => {
      const gh = matmul(Wh, h);
      // r and z from one add and one sigmoid over the first two gates.
      const rz = sigmoid(muladd(1, chunk(gh, 0, n, 2), chunk(xp, 0, n, 2)));
      const r = chunk(rz, 0, n);
      const z = chunk(rz, 1, n);
      const cand = tanh(muladd(r, chunk(gh, 2, n), chunk(xp, 2, n))); // tanh(Wx x + r .* (Wh h) + b)
      const hNew = muladd(z, sub(h, cand), cand); // (1 - z) .* h̃ .+ z .* h
      return [hNew, hNew];
    };
  }

  showCompact(): string {
    return `GRUCell(${this.Wi.shape[1]} => ${this.hiddenSize})`;
  }
}

class GRUv3CellLayer extends GRUBase {
  /** `[out, out]`: the candidate's recurrent kernel (Flux's `Wh_h̃`). */
  Wh_htilde: Tensor;

  constructor(inn: number, out: number, opts: RecurrentCellOptions = {}) {
    super();
    checkArgCount("GRUv3Cell", arguments, 3, "GRUv3Cell(in, out, opts?)");
    opts = optionsArg("GRUv3Cell", opts, CELL_OPTIONS);
    checkDims(inn, out, "GRUv3Cell");
    const initR = opts.initRecurrentKernel ?? glorotUniform;
    this.Wi = (opts.initKernel ?? glorotUniform)([3 * out, inn]);
    this.Wh = initR([3 * out, out]);
    this.b = makeBias(opts.bias, 3 * out, "GRUv3Cell");
    this.Wh_htilde = initR([out, out]);
  }

  protected stepper(): (xp: Tensor, h: Tensor) => CellOutput<Tensor> {
    const n = this.hiddenSize;
    // Flux computes `Wh * h` and ignores its third chunk; only the first 2n rows of Wh are used, so they are
    // sliced once per sequence (the third chunk's gradient is zero, as in Flux).
    const Wrz = chunk(this.Wh, 0, n, 2);
    const Whh = this.Wh_htilde;
    return (xp, h) => {
      const rz = sigmoid(muladd(1, matmul(Wrz, h), chunk(xp, 0, n, 2)));
      const r = chunk(rz, 0, n);
      const z = chunk(rz, 1, n);
      const cand = tanh(muladd(1, matmul(Whh, mul(r, h)), chunk(xp, 2, n)));
      const hNew = muladd(z, sub(h, cand), cand);
      return [hNew, hNew];
    };
  }

  showCompact(): string {
    return `GRUv3Cell(${this.Wi.shape[1]} => ${this.hiddenSize})`;
  }
}

// PyTorch's nn.RNN/LSTM/GRU store weight_ih/weight_hh as [gates*hidden, in] row-major matrices, gates in
// the same order as Flux's: the same bytes as nn.Linear's weight.
torchLayout(RNNCellLayer, { Wi: "linear", Wh: "linear" });
torchLayout(LSTMCellLayer, { Wi: "linear", Wh: "linear" });
torchLayout(GRUCellLayer, { Wi: "linear", Wh: "linear" });
torchLayout(GRUv3CellLayer, { Wi: "linear", Wh: "linear", Wh_htilde: "linear" });

/**
 * Flux's `RNNCell(in => out, σ = tanh; init_kernel, init_recurrent_kernel, bias)`: one step of the Elman
 * RNN, `h' = σ.(Wi * x .+ Wh * h .+ bias)`.
 *
 * `forward(x, h?)` takes `x` of shape `[in]` or `[in, batch]` and the state `h` (`[out]` or `[out, batch]`;
 * zeros when omitted, Flux's `initialstates`) and returns `[h', h']` (Flux's tuple `(output, state)`).
 * Fields `σ, Wi [out, in], Wh [out, out], bias [out]` as Flux. Call with or without `new`.
 *
 * @example
 * const cell = RNNCell(3, 5);
 * let h = cell.initialstates();
 * for (const xt of xs) [, h] = cell.forward(xt, h);
 */
export const RNNCell = layerConstructor(RNNCellLayer, ["σ", "Wi", "Wh", "bias"]);
/** An RNNCell (see `RNNCell`). */
export type RNNCell = RNNCellLayer;

/**
 * Flux's `LSTMCell(in => out; init_kernel, init_recurrent_kernel, bias)`: one LSTM step.
 *
 * `forward(x, [h, c]?)` returns `[h', [h', c']]`. `Wi` is `[4out, in]` and `Wh` `[4out, out]`, the gates
 * stacked input, forget, cell, output (Flux's and PyTorch's order); the four gate products of a step are
 * one matmul.
 *
 * @example
 * const cell = LSTMCell(3, 5);
 * const [y, [h, c]] = cell.forward(randn([3, 4])); // y: [5, 4]
 */
export const LSTMCell = layerConstructor(LSTMCellLayer, ["Wi", "Wh", "bias"]);
/** An LSTMCell (see `LSTMCell`). */
export type LSTMCell = LSTMCellLayer;

/**
 * Flux's `GRUCell(in => out; init_kernel, init_recurrent_kernel, bias)`: one GRU step (v1 of the paper):
 * `r = σ(Wxr x + Whr h + br)`, `z = σ(Wxz x + Whz h + bz)`, `h̃ = tanh(Wxh x + r .* (Whh h) + bh)`,
 * `h' = (1 - z) .* h̃ + z .* h`. `forward(x, h?)` returns `[h', h']`. Bias field `b` as in Flux.
 *
 * PyTorch's `nn.GRU` with `bias_hh`'s last third zero computes the same function.
 *
 * @example
 * const [y] = GRUCell(3, 5).forward(randn([3, 4])); // [5, 4]
 */
export const GRUCell = layerConstructor(GRUCellLayer, ["Wi", "Wh", "b"]);
/** A GRUCell (see `GRUCell`). */
export type GRUCell = GRUCellLayer;

/**
 * Flux's `GRUv3Cell(in => out; ...)`: the GRU of v3 of the paper,
 * `h̃ = tanh(Wxh x + Wh_h̃ (r .* h) + bh)`. Flux's field `Wh_h̃` is `Wh_htilde` here.
 *
 * @example
 * const [y] = GRUv3Cell(3, 5).forward(randn([3, 4])); // [5, 4]
 */
export const GRUv3Cell = layerConstructor(GRUv3CellLayer, ["Wi", "Wh", "b", "Wh_htilde"]);
/** A GRUv3Cell (see `GRUv3Cell`). */
export type GRUv3Cell = GRUv3CellLayer;

/** @internal Any built-in cell. */
export type AnyCell = RNNCellLayer | LSTMCellLayer | GRUCellLayer | GRUv3CellLayer;
