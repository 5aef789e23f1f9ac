// Flux 0.16's sequence layers (src/layers/recurrent.jl): RNN, LSTM, GRU, GRUv3 and the generic Recurrence
// run a cell over the time dim of `[in, len, batch]` input (Julia's `in x len x batch_size`), from an
// explicit initial state (zeros by default), keeping no state between calls.
//
// The loop is Flux's `scan`, rearranged for speed without changing a value: the input half of every step
// (`Wi * x_t .+ b`) is ONE GEMM over all `len * batch` columns before the loop, and each step is one
// `Wh * h` GEMM plus element-wise ops. Everything is kernels ops on the input's device, so on WebGPU the
// whole sequence is queued GPU work with no readback inside the loop; temporaries of each step are freed
// as it goes (kept only when a gradient tape needs them).
import {
  cat,
  type DType,
  isTensor,
  reshape,
  selectdim,
  type Tensor,
  tidy,
  withinGradient,
} from "@flux/kernels";
import { type Activation, activationName } from "../activation.js";
import { checkArgCount, optionNames, optionsArg } from "./arguments.js";
import { LayerArgumentError, LayerInputError } from "../errors.js";
import { apply, type LayerLike, layerConstructor } from "../layer.js";
import { SHOW_CHILDREN, type ShowChildren } from "../show/protocol.js";
import { showCompact } from "../show/show.js";
import { AbstractLayer } from "./base.js";
import { matchEltype, needsEltype } from "./matchEltype.js";
import {
  type CellOutput,
  GRUCell,
  GRUv3Cell,
  LSTMCell,
  type LSTMState,
  type RecurrentCellOptions,
  RNNCell,
  SCAN_STEP,
  type ScanStep,
} from "./recurrentCells.js";

/** Options of the sequence layers: the cell's options plus Flux's `return_state`. */
export interface RecurrentOptions extends RecurrentCellOptions {
  /** Return `[outputs, lastState]` instead of the outputs alone (Flux's `return_state`); default false. */
  returnState?: boolean;
}

type State = Tensor | readonly Tensor[];

const RECURRENT_OPTIONS = optionNames<RecurrentOptions>({
  initKernel: true,
  initRecurrentKernel: true,
  bias: true,
  returnState: true,
});
const CELL_GIVEN_OPTIONS = optionNames<{ returnState?: boolean }>({ returnState: true });

/**
 * The cell and `returnState` of RNN, LSTM, GRU and GRUv3, called with sizes (`RNN(in, out, σ?, opts?)`, the
 * others without σ: the cell is built from them and the options but `returnState`) or with a cell
 * (`RNN(cell, opts?)`). `cellKind` is the cell's name with its article, for the message.
 */
function cellAndFlag<C>(
  name: string,
  Cell: abstract new (...args: any[]) => C,
  cellKind: string,
  hasσ: boolean,
  args: readonly unknown[],
): [C, boolean] {
  const [first, out] = args;
  if (typeof first === "number") {
    const max = hasσ ? 4 : 3;
    checkArgCount(name, args, max, `${name}(in, out${hasσ ? ", σ?" : ""}, opts?)`);
    const given = args[max - 1] as RecurrentOptions | undefined;
    const { returnState, ...cellOpts } = optionsArg(name, given, RECURRENT_OPTIONS);
    const cellArgs = hasσ ? [first, out, args[2], cellOpts] : [first, out, cellOpts];
    return [(Cell as unknown as (...a: unknown[]) => C)(...cellArgs), returnState ?? false];
  }
  if (!(first instanceof Cell)) throw new LayerArgumentError(`${name}(cell): cell must be ${cellKind}.`);
  checkArgCount(name, args, 2, `${name}(cell, opts?)`);
  const opts = optionsArg(name, args[1] as { returnState?: boolean } | undefined, CELL_GIVEN_OPTIONS);
  return [first, opts.returnState ?? false];
}

function mapState(s: unknown, f: (t: Tensor) => Tensor): unknown {
  if (isTensor(s)) return f(s);
  if (Array.isArray(s)) return s.map((t) => mapState(t, f));
  return s;
}

interface GenericCell {
  forward(x: Tensor, state: unknown): unknown;
  initialstates?(): unknown;
}

/**
 * @internal Flux's `scan(cell, x, state)`: the cell over `eachslice(x, dims = 2)`, outputs stacked along
 * dim 2. `x` is `[in, len]` or `[in, len, batch]`. Returns `[outputs, lastState]`.
 */
export function scan(
  cell: unknown,
  x: Tensor,
  state0: unknown,
  who: string,
  wantState = true,
): [Tensor, unknown] {
  if (!isTensor(x) || (x.rank !== 2 && x.rank !== 3)) {
    throw new LayerInputError(
      `${who} expects an input of size [in, len] or [in, len, batch], but got ${isTensor(x) ? `[${x.shape.join(", ")}]` : typeof x}.`,
    );
  }
  const split = (cell as { [SCAN_STEP]?: ScanStep<unknown> })[SCAN_STEP];
  const [inn, len] = x.shape as [number, number];
  if (split !== undefined && inn !== split.inputSize) {
    throw new LayerInputError(
      `${who} expects size(input, 1) == ${split.inputSize}, but got a [${x.shape.join(", ")}] tensor.`,
    );
  }
  if (len === 0) throw new LayerInputError(`${who}: the sequence is empty (size(input, 2) == 0).`);
  const unbatched = x.rank === 2;
  const batch = unbatched ? 1 : x.shape[2]!;
  return tidy(() => {
    let state: unknown = state0 ?? initialStateOf(cell, who);
    let y: Tensor;
    if (split?.sequence !== undefined) {
      // A fused layer op: the input projection of every step and the whole time loop in one op.
      const out = split.sequence(reshape(x, [inn, len, batch]), state);
      y = out[0];
      state = out[1];
    } else {
      const ys: Tensor[] = [];
      if (split !== undefined) {
        // The input half of every step in one GEMM: [in, len*batch] -> [G, len, batch].
        const xp2 = split.project(reshape(x, [inn, len * batch]));
        const xp = reshape(xp2, [xp2.shape[0]!, len, batch]);
        const step = split.prepare();
        const xs = timeSlices(xp);
        for (let t = 0; t < len; t++) {
          const [yt, s] = step(xs[t]!, state) as CellOutput<unknown>;
          state = s;
          ys.push(yt);
        }
      } else {
        const c = cell as GenericCell;
        for (let t = 0; t < len; t++) {
          const out = apply(c as LayerLike, selectdim(x, 2, t), state) as unknown;
          if (!Array.isArray(out) || out.length !== 2) {
            throw new LayerInputError(
              `${who}: the cell must return [output, state] (Flux's tuple), got ${isTensor(out) ? "a tensor" : typeof out}.`,
            );
          }
          state = out[1];
          ys.push(out[0] as Tensor);
        }
      }
      const hs = ys[0]!.shape[0]!;
      y = cat(
        ys.map((yt) => reshape(yt, [hs, 1, yt.rank === 1 ? 1 : yt.shape[1]!])),
        2,
      );
    }
    const h = y.shape[0]!;
    // Only what the caller keeps leaves the tidy scope (the last state is freed unless wanted).
    if (!wantState) state = null;
    if (unbatched) {
      // Vectors in, vectors out (Flux's `eachslice` of a matrix gives vectors).
      const back = (t: Tensor) => (t.rank === 2 && t.shape[1] === 1 ? reshape(t, [t.shape[0]!]) : t);
      return [reshape(y, [h, len]), mapState(state, back)] as [Tensor, unknown];
    }
    return [y, state] as [Tensor, unknown];
  });
}

// The time steps of `[G, len, batch]` as `[G, batch]` slices. Outside `gradient`, one gather each. Under
// `gradient` each slice's cotangent is scattered into a tensor of the WHOLE input's size and summed, so
// `len` direct slices would cost `len` full-size scatters and adds in the backward pass; halving the range
// recursively instead costs about log2(len) full-size passes (each level's pieces add up to the input).
function timeSlices(x: Tensor): Tensor[] {
  const len = x.shape[1]!;
  if (!withinGradient() || len <= 4) return Array.from({ length: len }, (_, t) => selectdim(x, 2, t));
  const out: Tensor[] = [];
  const split = (t: Tensor): void => {
    const n = t.shape[1]!;
    if (n <= 2) {
      for (let i = 0; i < n; i++) out.push(selectdim(t, 2, i));
      return;
    }
    const mid = n >> 1;
    split(selectdim(t, 2, { start: 0, stop: mid }));
    split(selectdim(t, 2, { start: mid, stop: n }));
  };
  split(x);
  return out;
}

function initialStateOf(cell: unknown, who: string): unknown {
  const init = (cell as GenericCell).initialstates;
  if (typeof init !== "function") {
    throw new LayerArgumentError(
      `${who}: no initial state given and the cell has no initialstates(); pass the state as the second argument.`,
    );
  }
  return init.call(cell);
}

/** @internal The shared body of RNN, LSTM, GRU, GRUv3 and Recurrence. */
abstract class SequenceLayer<C, S> extends AbstractLayer {
  cell: C;
  /** Flux's `return_state` type parameter: `forward` returns `[outputs, lastState]` when true. */
  returnState: boolean;

  constructor(cell: C, returnState: boolean) {
    super();
    this.cell = cell;
    this.returnState = returnState;
  }

  /** Flux's `initialstates(layer)`: the cell's zero state. */
  initialstates(): S {
    return initialStateOf(this.cell, this.showCompact()) as S;
  }

  /**
   * Runs the cell over `x` (`[in, len, batch]` or `[in, len]`) from `state` (the zero state when omitted).
   * Returns the outputs `[out, len, batch]`, or `[outputs, lastState]` with `returnState`.
   */
  forward(x: Tensor, state?: S): Tensor {
    const dtype = inputDtype(this.cell, x);
    if (dtype !== null) return tidy(() => this.forward(matchEltype(this, x, dtype), state));
    const [y, last] = scan(this.cell, x, state, this.showCompact(), this.returnState);
    return (this.returnState ? [y, last] : y) as Tensor;
  }

  /** `forward` with `returnState` regardless of the flag: `[outputs, lastState]`. */
  forwardWithState(x: Tensor, state?: S): [Tensor, S] {
    const dtype = inputDtype(this.cell, x);
    if (dtype !== null) return tidy(() => this.forwardWithState(matchEltype(this, x, dtype), state));
    return scan(this.cell, x, state, this.showCompact()) as [Tensor, S];
  }
}

/**
 * The dtype a built-in cell (one with an input kernel `Wi`) needs `x` converted to, as Flux's
 * _match_eltype; `null` when `x` already has it or the cell is a user's own.
 */
function inputDtype(cell: unknown, x: unknown): DType | null {
  const wi = (cell as { Wi?: unknown }).Wi;
  return isTensor(wi) && isTensor(x) && needsEltype(x, wi.dtype) ? wi.dtype : null;
}

function isCellLike(x: unknown): boolean {
  return x !== null && typeof x === "object" && typeof (x as { forward?: unknown }).forward === "function";
}

function sizes(cell: { Wi: Tensor }, gates: number): string {
  return `${cell.Wi.shape[1]} => ${cell.Wi.shape[0]! / gates}`;
}

class RNNLayer extends SequenceLayer<RNNCell, Tensor> {
  constructor(inn: number, out: number, σ?: Activation, opts?: RecurrentOptions);
  constructor(cell: RNNCell, opts?: { returnState?: boolean });
  constructor(first: number | RNNCell, ...rest: unknown[]) {
    super(...cellAndFlag("RNN", RNNCell, "an RNNCell", true, [first, ...rest]));
  }

  showCompact(): string {
    return `RNN(${sizes(this.cell, 1)}, ${activationName(this.cell.σ)})`;
  }
}

class LSTMLayer extends SequenceLayer<LSTMCell, LSTMState> {
  constructor(inn: number, out: number, opts?: RecurrentOptions);
  constructor(cell: LSTMCell, opts?: { returnState?: boolean });
  constructor(first: number | LSTMCell, ...rest: unknown[]) {
    super(...cellAndFlag("LSTM", LSTMCell, "an LSTMCell", false, [first, ...rest]));
  }

  showCompact(): string {
    return `LSTM(${sizes(this.cell, 4)})`;
  }
}

class GRULayer extends SequenceLayer<GRUCell, Tensor> {
  constructor(inn: number, out: number, opts?: RecurrentOptions);
  constructor(cell: GRUCell, opts?: { returnState?: boolean });
  constructor(first: number | GRUCell, ...rest: unknown[]) {
    super(...cellAndFlag("GRU", GRUCell, "a GRUCell", false, [first, ...rest]));
  }

  showCompact(): string {
    return `GRU(${sizes(this.cell, 3)})`;
  }
}

class GRUv3Layer extends SequenceLayer<GRUv3Cell, Tensor> {
  constructor(inn: number, out: number, opts?: RecurrentOptions);
  constructor(cell: GRUv3Cell, opts?: { returnState?: boolean });
  constructor(first: number | GRUv3Cell, ...rest: unknown[]) {
    super(...cellAndFlag("GRUv3", GRUv3Cell, "a GRUv3Cell", false, [first, ...rest]));
  }

  showCompact(): string {
    return `GRUv3(${sizes(this.cell, 3)})`;
  }
}

class RecurrenceLayer<S = State> extends SequenceLayer<LayerLike, S> {
  constructor(cell: LayerLike, opts: { returnState?: boolean } = {}) {
    if (!isCellLike(cell) && typeof cell !== "function") {
      throw new LayerArgumentError("Recurrence(cell): cell must be a layer (an object with forward).");
    }
    checkArgCount("Recurrence", arguments, 2, "Recurrence(cell, opts?)");
    super(cell, optionsArg("Recurrence", opts, CELL_GIVEN_OPTIONS).returnState ?? false);
  }

  showCompact(): string {
    return `Recurrence(${showCompact(this.cell)})`;
  }

  [SHOW_CHILDREN](): ShowChildren {
    return { pre: "Recurrence(", post: ")", items: [[null, this.cell]] };
  }
}

// Flux's `@layer :noexpand`: the sequence layers print on one line; only `cell` is a child (return_state is
// a type parameter in Flux, a plain field here: kept by fmap, not part of `state`).

/**
 * Flux's `RNN(in => out, σ = tanh; return_state, init_kernel, init_recurrent_kernel, bias)`, or
 * `RNN(cell; return_state)`: an `RNNCell` run over a sequence.
 *
 * `forward(x, h?)`: `x` is `[in, len, batch]` (or `[in, len]`), `h` the initial state (`[out]` or
 * `[out, batch]`, zeros when omitted); returns all hidden states `[out, len, batch]`, or
 * `[outputs, lastState]` with `{ returnState: true }`. No state is kept between calls.
 *
 * @example
 * const rnn = RNN(4, 6);
 * rnn.forward(randn([4, 3, 5])).shape; // [6, 3, 5]
 * String(rnn); // "RNN(4 => 6, tanh)   # 66 parameters"
 */
export const RNN = layerConstructor(RNNLayer, ["cell"]) as typeof RNNLayer & {
  (inn: number, out: number, σ?: Activation, opts?: RecurrentOptions): RNNLayer;
  (cell: RNNCell, opts?: { returnState?: boolean }): RNNLayer;
};
/** An RNN layer (see `RNN`). */
export type RNN = RNNLayer;

/**
 * Flux's `LSTM(in => out; return_state, init_kernel, init_recurrent_kernel, bias)`, or `LSTM(cell; ...)`:
 * an `LSTMCell` run over a sequence. The state is `[h, c]`.
 *
 * Each time step costs one `[4out, out] x [out, batch]` GEMM (the four gates fused) plus element-wise ops;
 * the input projections of all steps are one GEMM before the loop.
 *
 * @example
 * const lstm = LSTM(2, 3, { returnState: true });
 * const [y, [h, c]] = lstm.forward(randn([2, 4, 5])); // y: [3, 4, 5]; h, c: [3, 5]
 */
export const LSTM = layerConstructor(LSTMLayer, ["cell"]) as typeof LSTMLayer & {
  (inn: number, out: number, opts?: RecurrentOptions): LSTMLayer;
  (cell: LSTMCell, opts?: { returnState?: boolean }): LSTMLayer;
};
/** An LSTM layer (see `LSTM`). */
export type LSTM = LSTMLayer;

/**
 * Flux's `GRU(in => out; return_state, ...)`: a `GRUCell` run over a sequence.
 *
 * @example
 * GRU(2, 3).forward(randn([2, 4, 5])).shape; // [3, 4, 5]
 */
export const GRU = layerConstructor(GRULayer, ["cell"]) as typeof GRULayer & {
  (inn: number, out: number, opts?: RecurrentOptions): GRULayer;
  (cell: GRUCell, opts?: { returnState?: boolean }): GRULayer;
};
/** A GRU layer (see `GRU`). */
export type GRU = GRULayer;

/**
 * Flux's `GRUv3(in => out; return_state, ...)`: a `GRUv3Cell` run over a sequence.
 *
 * @example
 * GRUv3(2, 3).forward(randn([2, 4, 5])).shape; // [3, 4, 5]
 */
export const GRUv3 = layerConstructor(GRUv3Layer, ["cell"]) as typeof GRUv3Layer & {
  (inn: number, out: number, opts?: RecurrentOptions): GRUv3Layer;
  (cell: GRUv3Cell, opts?: { returnState?: boolean }): GRUv3Layer;
};
/** A GRUv3 layer (see `GRUv3`). */
export type GRUv3 = GRUv3Layer;

/**
 * Flux's `Recurrence(cell; return_state)`: any cell (`forward(x_t, state) -> [output, state']`, with an
 * `initialstates()` method when no state is passed) run over the time dim. Unlike RNN/LSTM/GRU it prints
 * its cell expanded, as Flux's does.
 *
 * @example
 * Recurrence(RNNCell(2, 3)).forward(randn([2, 4, 5])).shape; // [3, 4, 5]
 */
export const Recurrence = layerConstructor(RecurrenceLayer, ["cell"]);
/** A Recurrence layer (see `Recurrence`). */
export type Recurrence = RecurrenceLayer;

/**
 * Flux's `initialstates(m)`: the zero initial state of a recurrent cell or layer (`[out]` zeros, or
 * `[h, c]` for LSTMs) on the layer's device and dtype.
 *
 * @example
 * const [h, c] = initialstates(LSTMCell(3, 5)); // zeros of [5] each
 */
export function initialstates(m: unknown): any {
  const f = (m as { initialstates?: () => unknown } | null)?.initialstates;
  if (typeof f !== "function") {
    throw new LayerArgumentError(
      `initialstates: ${showCompact(m)} is not a recurrent cell or layer (it has no initialstates()).`,
    );
  }
  return f.call(m);
}
