// The fused recurrent layer ops (lstmSequence, gruSequence) as ONE node on the gradient tape: the states
// as [n, B] storage, the backend's forward pass, the saved storages held as tensors for exactly as long as
// the tape needs them, and the VJP that hands the backend's cotangents back in each argument's shape.
// The LSTM adds its last cell state on top (see lstm.ts); the plumbing here is what both layers share.
import { record, retainForBackward } from "../autodiff/tape.js";
import type { Backend, GruSequenceOperands, LstmSequenceWants, TensorView } from "../backend.js";
import type { Tensor } from "../tensor.js";
import { wrap } from "./core.js";
import { selectdim } from "./shape.js";
import { unbroadcast } from "./unbroadcast.js";

/** What a backend's fused forward pass returns (the LSTM's also holds its last cell state). */
interface Forward {
  readonly y: unknown;
  readonly saved: readonly { readonly storage: unknown; readonly size: number }[];
}

/** The cotangents a fused backward pass returns: dx, dwi, dwh and db where asked for, `d<state>` always. */
type Grads = { readonly dx: unknown; readonly dwi: unknown; readonly dwh: unknown; readonly db: unknown };

/** One fused sequence op's arguments and its backend's two passes. */
export interface FusedSequence<O extends GruSequenceOperands, F extends Forward> {
  op: string;
  backend: Backend;
  x: Tensor;
  Wi: Tensor;
  Wh: Tensor;
  b: Tensor | null;
  /** The initial states by operand name (h0, then c0 for an LSTM), each [n] (shared) or [n, B]. */
  states: Readonly<Record<string, Tensor>>;
  forward(operands: O): F;
  backward(operands: O, saved: unknown[], dy: TensorView, wants: LstmSequenceWants): Grads;
}

/**
 * @internal Runs a fused sequence op: returns every step's h (`y`), the last one (`h`), the forward's raw
 * output and whether the gradient tape recorded the node. The states' VJPs sum back to `[n]` where a
 * state was shared by every sequence.
 */
export function fusedSequence<O extends GruSequenceOperands, F extends Forward>(s: FusedSequence<O, F>) {
  const { op, backend, x, Wi, Wh, b } = s;
  const [inn, T, B] = x.shape as [number, number, number];
  const [G, n] = Wh.shape as [number, number];
  const names = Object.keys(s.states);
  const given = Object.values(s.states);
  const states = given.map((t) => batched(op, backend, t, B));
  const operands = () =>
    ({
      x: x.view(op),
      wi: Wi.view(op),
      wh: Wh.view(op),
      b: b === null ? null : b.view(op),
      ...Object.fromEntries(names.map((name, k) => [name, states[k]!.view(op)])),
    }) as O;
  const out = s.forward(operands());
  const w = (storage: unknown, shape: number[]) => wrap(backend, storage, shape, x.dtype);
  const y = w(out.y, [n, T, B]);
  const saved = out.saved.map((v) => w(v.storage, [v.size]));
  const inputs = [x, Wi, Wh, ...given, ...(b === null ? [] : [b])];
  const recorded = record(inputs, y, (g, needs) => {
    const wants = {
      x: needs[0] === true,
      wi: needs[1] === true,
      wh: needs[2] === true,
      b: needs[3 + names.length] === true,
    };
    const grads = s.backward(
      operands(),
      saved.map((t) => t.view(op).storage),
      g.view(op),
      wants,
    );
    const opt = (v: unknown, shape: number[]) => (v === null ? null : w(v, shape));
    const state = (name: string, like: Tensor) => {
      const full = w((grads as Record<string, unknown>)[`d${name}`], [n, B]);
      const summed = unbroadcast(full, like.shape);
      if (summed !== full) full.dispose();
      return summed;
    };
    return [
      opt(grads.dx, [inn, T, B]),
      opt(grads.dwi, [G, inn]),
      opt(grads.dwh, [G, n]),
      ...names.map((name, k) => state(name, given[k]!)),
      opt(grads.db, [G]),
    ];
  });
  if (recorded) for (const t of [...saved, ...states]) retainForBackward(t);
  else {
    for (const t of saved) t.dispose();
    for (const [k, t] of states.entries()) if (t !== given[k]) t.dispose();
  }
  return { y, h: selectdim(y, 2, T - 1), out, recorded };
}

// `s` as [n, B] storage (a copy when it is one [n] state shared by every sequence), not recorded: the VJP
// sums the cotangent back to `s`'s shape.
function batched(op: string, backend: Backend, s: Tensor, B: number): Tensor {
  if (s.rank === 2) return s;
  const shape = [s.shape[0]!, B];
  return wrap(backend, backend.expand({ ...s.view(op), shape: [s.shape[0]!, 1] }, shape), shape, s.dtype);
}
