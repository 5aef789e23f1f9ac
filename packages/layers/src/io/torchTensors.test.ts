// PyTorch layouts that need more than renaming, without PyTorch: the names and shapes nn.RNN/LSTM/GRU, their
// cells and nn.MultiheadAttention give our layers, the bytes of the packed and split tensors, the two
// biases summed on load, and the refusals (GRU's b_hn, attention dims PyTorch cannot build).
import { assign, randn, rng, type Tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  Chain,
  Dense,
  GRU,
  GRUCell,
  GRUv3,
  LSTM,
  LSTMCell,
  loadBytes,
  MultiHeadAttention,
  parseSafetensors,
  Recurrence,
  RNN,
  RNNCell,
  SafetensorsError,
  saveBytes,
} from "../index.js";
import { encodeSafetensors } from "./safetensors/encode.js";

const PT = { names: "pytorch" } as const;
const values = (t: Tensor) => Array.from(t.dataSync() as Float32Array);

async function layout(m: unknown): Promise<Record<string, number[]>> {
  const file = parseSafetensors(await saveBytes(m, PT));
  return Object.fromEntries([...file.tensors].map(([k, e]) => [k, [...e.shape]]));
}

async function fileValues(m: unknown): Promise<Map<string, number[]>> {
  const file = parseSafetensors(await saveBytes(m, PT));
  return new Map(
    [...file.tensors].map(([k, e]) => [k, Array.from(new Float32Array(e.bytes.slice().buffer))]),
  );
}

// A file of PyTorch-named F32 tensors, e.g. one edited from a saved one.
function fileOf(tensors: Map<string, number[]>, shapes: Record<string, number[]>): Uint8Array {
  return encodeSafetensors(
    [...tensors].map(([name, v]) => ({
      name,
      dtype: "F32",
      shape: shapes[name]!,
      bytes: new Uint8Array(new Float32Array(v).buffer),
    })),
    {},
  );
}

function randomise(...ts: Tensor[]): void {
  // Biases start at zero: give them values so that their placement is checked.
  for (const [i, t] of ts.entries()) assign(t, randn([...t.shape], { rng: rng(40 + i) }));
}

describe("names: pytorch for layers that need more than renaming", () => {
  test("nn.RNN/LSTM/GRU take weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 (none without bias)", async () => {
    expect(await layout(Chain(RNN(3, 4), LSTM(4, 5), GRU(5, 2, { bias: false })))).toEqual({
      "0.weight_ih_l0": [4, 3],
      "0.weight_hh_l0": [4, 4],
      "0.bias_ih_l0": [4],
      "0.bias_hh_l0": [4],
      "1.weight_ih_l0": [20, 4],
      "1.weight_hh_l0": [20, 5],
      "1.bias_ih_l0": [20],
      "1.bias_hh_l0": [20],
      "2.weight_ih_l0": [6, 5],
      "2.weight_hh_l0": [6, 2],
    });
    // A layer alone is the module itself, as nn.GRU's own state_dict.
    expect(Object.keys(await layout(GRU(2, 3)))).toEqual([
      "weight_ih_l0",
      "weight_hh_l0",
      "bias_ih_l0",
      "bias_hh_l0",
    ]);
  });

  test("cells take nn.RNNCell/LSTMCell/GRUCell's names (no _l0)", async () => {
    expect(await layout(Chain({ a: RNNCell(2, 3), b: LSTMCell(3, 2), c: GRUCell(2, 2) }))).toEqual({
      "a.weight_ih": [3, 2],
      "a.weight_hh": [3, 3],
      "a.bias_ih": [3],
      "a.bias_hh": [3],
      "b.weight_ih": [8, 3],
      "b.weight_hh": [8, 2],
      "b.bias_ih": [8],
      "b.bias_hh": [8],
      "c.weight_ih": [6, 2],
      "c.weight_hh": [6, 2],
      "c.bias_ih": [6],
      "c.bias_hh": [6],
    });
  });

  test("Recurrence holds its cell's PyTorch tensors under cell.", async () => {
    expect(Object.keys(await layout(Chain(Recurrence(LSTMCell(2, 3)))))).toEqual([
      "0.cell.weight_ih",
      "0.cell.weight_hh",
      "0.cell.bias_ih",
      "0.cell.bias_hh",
    ]);
  });

  test("GRUv3 has no PyTorch twin: its fields keep our names", async () => {
    expect(Object.keys(await layout(GRUv3(2, 3))).sort()).toEqual(
      ["cell.Wi", "cell.Wh", "cell.b", "cell.Wh_htilde"].sort(),
    );
  });

  test("bias_ih_l0 is our bias, bias_hh_l0 zeros, weights row-major [gates*hidden, in]", async () => {
    const m = LSTM(2, 3);
    randomise(m.cell.bias as Tensor);
    const f = await fileValues(m);
    expect(f.get("bias_ih_l0")).toEqual(values(m.cell.bias as Tensor));
    expect(f.get("bias_hh_l0")).toEqual(new Array(12).fill(0));
    const wi = values(m.cell.Wi); // column-major [12, 2]
    expect(f.get("weight_ih_l0")![5 * 2 + 1]).toBe(wi[5 + 12 * 1]); // row 5, column 1
  });

  test("loading sums bias_ih and bias_hh (RNN, LSTM, GRU's r and z gates)", async () => {
    for (const make of [() => RNN(2, 3), () => LSTM(2, 3), () => GRU(2, 3)]) {
      const shapes = await layout(make());
      const f = await fileValues(make());
      const n = shapes.bias_ih_l0![0]!;
      const ih = Array.from({ length: n }, (_, i) => 0.25 * i - 1);
      const hh = Array.from({ length: n }, (_, i) => (i % 3) + 0.5);
      if (n === 9) hh.fill(0, 6); // GRU: b_hn is zero
      f.set("bias_ih_l0", ih);
      f.set("bias_hh_l0", hh);
      const m = loadBytes(fileOf(f, shapes), make(), PT);
      const bias = (m.cell as { bias?: Tensor; b?: Tensor }).bias ?? (m.cell as { b: Tensor }).b;
      expect(values(bias)).toEqual(ih.map((v, i) => Math.fround(v + hh[i]!)));
    }
  });

  test("a GRU file with a nonzero b_hn is refused, naming the tensor, and the model is unchanged", async () => {
    const shapes = await layout(GRU(2, 3));
    const f = await fileValues(GRU(2, 3));
    f.set("bias_hh_l0", [0, 0, 0, 0, 0, 0, 0, 0.5, 0]);
    const m = GRU(2, 3);
    const before = values(m.cell.Wi);
    const load = () => loadBytes(fileOf(f, shapes), m, PT);
    expect(load).toThrow(SafetensorsError);
    expect(load).toThrow(/"bias_hh_l0"\[7\] is 0\.5.*rows 6 to 8.*must be zero.*b_hn/);
    try {
      load();
    } catch (e) {
      expect((e as SafetensorsError).code).toBe("ERR_SAFETENSORS_UNMAPPABLE");
    }
    expect(values(m.cell.Wi)).toEqual(before);
  });

  test("round trip in PyTorch names restores every tensor exactly", async () => {
    const parts = () => ({
      lstm: LSTM(3, 4),
      gru: GRU(4, 2),
      cell: RNNCell(2, 2),
      mha: MultiHeadAttention(4, { nheads: 2, bias: true }),
    });
    const a = parts();
    randomise(a.lstm.cell.bias as Tensor, a.gru.cell.b as Tensor, a.cell.bias as Tensor);
    randomise(a.mha.q_proj.bias as Tensor, a.mha.v_proj.bias as Tensor, a.mha.out_proj.bias as Tensor);
    const b = parts();
    loadBytes(await saveBytes(Chain(a), PT), Chain(b), PT);
    const all = (p: ReturnType<typeof parts>) =>
      [
        p.lstm.cell.Wi,
        p.lstm.cell.Wh,
        p.lstm.cell.bias,
        p.gru.cell.Wi,
        p.gru.cell.Wh,
        p.gru.cell.b,
        p.cell.Wi,
        p.cell.Wh,
        p.cell.bias,
        ...[p.mha.q_proj, p.mha.k_proj, p.mha.v_proj, p.mha.out_proj].flatMap((d) => [d.weight, d.bias]),
      ].map((t) => values(t as Tensor));
    expect(all(b)).toEqual(all(a));
  });

  test("nn.MultiheadAttention: q;k;v packed in in_proj_weight/in_proj_bias, or split when kdim/vdim differ", async () => {
    const m = MultiHeadAttention(4, { nheads: 2, bias: true });
    randomise(m.k_proj.bias as Tensor);
    expect(await layout(m)).toEqual({
      in_proj_weight: [12, 4],
      in_proj_bias: [12],
      "out_proj.weight": [4, 4],
      "out_proj.bias": [4],
    });
    const f = await fileValues(m);
    // Rows 4..7 of in_proj_weight are k_proj's weight, row-major.
    const k = values(m.k_proj.weight); // column-major [4, 4]
    expect(f.get("in_proj_weight")![(4 + 2) * 4 + 3]).toBe(k[2 + 4 * 3]);
    expect(f.get("in_proj_bias")!.slice(4, 8)).toEqual(values(m.k_proj.bias as Tensor));
    expect(await layout(MultiHeadAttention([[4, 3, 5], 4, 4], { nheads: 2 }))).toEqual({
      q_proj_weight: [4, 4],
      k_proj_weight: [4, 3],
      v_proj_weight: [4, 5],
      "out_proj.weight": [4, 4],
    });
  });

  test("attention dims PyTorch cannot build are refused with what to do", async () => {
    for (const dims of [
      [4, 8, 4],
      [4, [4, 8], 4],
      [4, 4, 6],
    ] as const) {
      const save = saveBytes(MultiHeadAttention(dims as never, { nheads: 2 }), PT);
      await expect(save).rejects.toThrow(/no nn\.MultiheadAttention twin.*leave out \{ names: "pytorch" \}/);
      await expect(saveBytes(MultiHeadAttention(dims as never, { nheads: 2 }), PT)).rejects.toMatchObject({
        code: "ERR_SAFETENSORS_UNMAPPABLE",
      });
    }
    // Biases on some projections only (fields edited by hand): PyTorch has one in_proj_bias for all three.
    const odd = MultiHeadAttention(4, { nheads: 2, bias: true });
    (odd.k_proj as { bias: Tensor | false }).bias = false;
    await expect(saveBytes(odd, PT)).rejects.toThrow(
      /"in_proj_bias" is made from our "k_proj\.bias", which this layer does not have/,
    );
    // Our names still work for it.
    await saveBytes(MultiHeadAttention([4, 8, 4], { nheads: 2 }));
  });

  test("a layer used twice is written under both names; a file where they differ is refused", async () => {
    const l = LSTM(2, 2);
    const shapes = await layout(Chain(l, l));
    expect(Object.keys(shapes)).toHaveLength(8);
    const f = await fileValues(Chain(l, l));
    loadBytes(fileOf(f, shapes), Chain(l, l), PT);
    f.set(
      "1.weight_hh_l0",
      f.get("1.weight_hh_l0")!.map((v) => v + 1),
    );
    expect(() => loadBytes(fileOf(f, shapes), Chain(l, l), PT)).toThrow(
      /"1\.weight_hh_l0" \(our 1\.cell\.Wh\) is the same tensor of the model as "0\.weight_hh_l0" \(our 0\.cell\.Wh\)/,
    );
  });

  test("a missing or misshapen PyTorch tensor is named", async () => {
    const shapes = await layout(LSTM(2, 3));
    const f = await fileValues(LSTM(2, 3));
    f.delete("bias_hh_l0");
    expect(() => loadBytes(fileOf(f, shapes), LSTM(2, 3), PT)).toThrow(/no "bias_hh_l0"/);
    expect(() => loadBytes(fileOf(f, shapes), LSTM(2, 4), PT)).toThrow(
      /"weight_ih_l0" has shape \[12, 2\].*\[16, 2\]/,
    );
    // A Dense (renamed, not built from blocks) beside them is unaffected.
    expect(Object.keys(await layout(Chain(LSTM(2, 3), Dense(3, 1))))).toContain("1.weight");
  });
});
