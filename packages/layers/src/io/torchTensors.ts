// PyTorch tensors that are not one renamed tensor of ours: nn.LSTM's two biases where a Flux cell has one,
// nn.MultiheadAttention's packed q;k;v projection where ours has three Dense layers. A layer like that
// declares, per PyTorch tensor, the blocks it is made of (rows of our tensors in PyTorch's layout, stacked
// along dim 1), and the io code does the rest once for all of them (torchGroups.ts): concatenate on save,
// split, sum or check on load.
import { SafetensorsError } from "../errors.js";
import { MultiHeadAttention } from "../layers/attention.js";
import { GRU, LSTM, RNN } from "../layers/recurrent.js";
import { GRUCell, LSTMCell, RNNCell } from "../layers/recurrentCells.js";

/**
 * One block of rows of a PyTorch tensor (rows: its first dim, in its row-major file layout).
 *
 * `{ field }`: our tensor at key path `field` (relative to the layer, "." joined), or its rows
 * `[start, stop)`. `{ addTo }`: saved as zeros; on load added to those rows of our tensor (PyTorch's second
 * bias, which our layer folds into its one bias). `{ zeros, why }`: `zeros` rows that our layer cannot hold
 * unless they are zero: saved as zeros; a nonzero value on load is refused with `why`.
 */
export type TorchBlock =
  | { readonly field: string; readonly rows?: readonly [number, number] }
  | { readonly addTo: string; readonly rows?: readonly [number, number] }
  | { readonly zeros: number; readonly why: string };

/** A layer's PyTorch tensors: PyTorch name (relative to the layer) → its blocks, top to bottom. */
export type TorchTensors = Readonly<Record<string, readonly TorchBlock[]>>;

type Cell = RNNCell | LSTMCell | GRUCell;

// nn.RNNCell/LSTMCell/GRUCell (suffix "") and the single-layer, unidirectional nn.RNN/LSTM/GRU ("_l0"):
// weight_ih and weight_hh are our Wi and Wh (gates already in PyTorch's order: LSTM i, f, g, o; GRU r, z,
// n), bias_ih our one bias and bias_hh zeros. Loading sums the two biases, which is exact wherever PyTorch
// adds them: all of RNN's and LSTM's, and GRU's r and z gates. GRU's n gate is tanh(W_in x + b_in +
// r * (W_hn h + b_hn)) in PyTorch but Flux's GRUCell has no bias inside r * (...), so b_hn must be zero.
function cellTensors(cell: Cell, prefix: string, suffix: string): TorchTensors {
  const t: Record<string, readonly TorchBlock[]> = {
    [`weight_ih${suffix}`]: [{ field: `${prefix}Wi` }],
    [`weight_hh${suffix}`]: [{ field: `${prefix}Wh` }],
  };
  if (cell instanceof GRUCell) {
    if (cell.b === false) return t;
    const n = cell.hiddenSize;
    const b = `${prefix}b`;
    t[`bias_ih${suffix}`] = [{ field: b }];
    t[`bias_hh${suffix}`] = [
      { addTo: b, rows: [0, 2 * n] },
      {
        zeros: n,
        why: "its last third (b_hn, the hidden bias of the new gate, which PyTorch multiplies by the reset gate) has no counterpart in Flux's GRUCell, where r multiplies Wh*h alone. Retrain or fine-tune the PyTorch model with bias_hh[2*hidden:] fixed at zero, or build a GRU without bias on both sides",
      },
    ];
    return t;
  }
  if (cell.bias === false) return t;
  t[`bias_ih${suffix}`] = [{ field: `${prefix}bias` }];
  t[`bias_hh${suffix}`] = [{ addTo: `${prefix}bias` }];
  return t;
}

// nn.MultiheadAttention(E, nheads, bias, kdim, vdim): q, v and out projections are all E wide, and the
// query's width is E; k and v inputs may differ (kdim, vdim), in which case PyTorch keeps three separate
// weights instead of the packed in_proj_weight. Heads are contiguous blocks of E/nheads features in both.
function attentionTensors(m: MultiHeadAttention): TorchTensors {
  const [qk, qIn] = m.q_proj.weight.shape as [number, number];
  const kIn = m.k_proj.weight.shape[1]!;
  const [v, vIn] = m.v_proj.weight.shape as [number, number];
  const out = m.out_proj.weight.shape[0]!;
  if (qk !== qIn || v !== qIn || out !== qIn) {
    throw new SafetensorsError(
      "ERR_SAFETENSORS_UNMAPPABLE",
      `${m.showCompact()} has no nn.MultiheadAttention twin: PyTorch's query input, q/k/v projections and output are all embed_dim wide, but ours are ${qIn} => (${qk}, ${v}) => ${out}. Save it with our names (leave out { names: "pytorch" }), or build it as MultiHeadAttention([[E, kdim, vdim], E, E]).`,
    );
  }
  const packed = kIn === qIn && vIn === qIn;
  const t: Record<string, readonly TorchBlock[]> = packed
    ? { in_proj_weight: [{ field: "q_proj.weight" }, { field: "k_proj.weight" }, { field: "v_proj.weight" }] }
    : {
        q_proj_weight: [{ field: "q_proj.weight" }],
        k_proj_weight: [{ field: "k_proj.weight" }],
        v_proj_weight: [{ field: "v_proj.weight" }],
      };
  // Our `bias` option gives all four projections a bias, or none, as PyTorch's.
  if (m.q_proj.bias !== false) {
    t.in_proj_bias = [{ field: "q_proj.bias" }, { field: "k_proj.bias" }, { field: "v_proj.bias" }];
  }
  t["out_proj.weight"] = [{ field: "out_proj.weight" }];
  if (m.out_proj.bias !== false) t["out_proj.bias"] = [{ field: "out_proj.bias" }];
  return t;
}

/**
 * @internal The PyTorch tensors of a built-in layer that needs more than renaming, or undefined. Looked up
 * by `instanceof` rather than declared on the prototypes at import time, as torchNames.ts does: the
 * package has no import side effects, so a bundler may drop a module that only declares.
 */
export function torchTensorsOf(layer: object): TorchTensors | undefined {
  if (layer instanceof RNN || layer instanceof LSTM || layer instanceof GRU) {
    return cellTensors(layer.cell, "cell.", "_l0");
  }
  if (layer instanceof RNNCell || layer instanceof LSTMCell || layer instanceof GRUCell) {
    return cellTensors(layer, "", "");
  }
  if (layer instanceof MultiHeadAttention) return attentionTensors(layer);
  return undefined;
}
