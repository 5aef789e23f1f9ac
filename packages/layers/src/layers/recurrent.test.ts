import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmap } from "@flux/functors";
import {
  gradient,
  memory,
  mul,
  randn,
  relu,
  rng,
  setDefaultRng,
  sum,
  type Tensor,
  tensor,
  zeros,
} from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  Chain,
  Dense,
  GRU,
  GRUCell,
  GRUv3,
  GRUv3Cell,
  initialstates,
  LayerInputError,
  loadmodel,
  LSTM,
  LSTMCell,
  Recurrence,
  RNN,
  RNNCell,
  save,
  state,
  trainables,
} from "../index.js";

const arr = (t: Tensor) => Array.from(t.dataSync() as Float32Array);

describe("recurrent cells and layers (Flux 0.16)", () => {
  test("printing as Flux's docstrings show it", () => {
    expect(String(RNN(4, 6))).toBe("RNN(4 => 6, tanh)   # 66 parameters");
    expect(String(LSTMCell(3, 5))).toBe("LSTMCell(3 => 5)    # 180 parameters");
    expect(String(GRUCell(3, 5))).toBe("GRUCell(3 => 5)     # 135 parameters");
    expect(String(RNNCell(2, 3, relu))).toBe("RNNCell(2 => 3, relu)  # 18 parameters");
    expect(String(LSTM(2, 3))).toBe("LSTM(2 => 3)        # 72 parameters");
    expect(String(GRU(2, 3))).toBe("GRU(2 => 3)         # 54 parameters");
    expect(String(GRUv3(2, 3))).toBe("GRUv3(2 => 3)       # 63 parameters");
    expect(String(GRUv3Cell(2, 3))).toBe("GRUv3Cell(2 => 3)   # 63 parameters");
    expect(String(Recurrence(RNNCell(2, 3)))).toBe(
      [
        "Recurrence(",
        "  RNNCell(2 => 3, tanh),                # 18 parameters",
        ")                   # Total: 3 arrays, 18 parameters, 72 bytes.",
      ].join("\n"),
    );
  });

  test("shapes: features x time x batch in, hidden x time x batch out; cells give (output, state)", () => {
    const x = randn([4, 3, 5]);
    expect(RNN(4, 6).forward(x).shape).toEqual([6, 3, 5]);
    expect(LSTM(4, 6).forward(x).shape).toEqual([6, 3, 5]);
    expect(GRU(4, 6).forward(randn([4, 3])).shape).toEqual([6, 3]);
    const [y, [h, c]] = LSTMCell(3, 5).forward(randn([3, 4]));
    expect([y.shape, h.shape, c.shape]).toEqual([
      [5, 4],
      [5, 4],
      [5, 4],
    ]);
    expect(y).toBe(h);
    const [yv] = RNNCell(3, 5).forward(randn([3])); // a vector input gives a vector
    expect(yv.shape).toEqual([5]);
    const lstm = LSTM(4, 6, { returnState: true });
    const [ys, [hn, cn]] = lstm.forward(x) as unknown as [Tensor, [Tensor, Tensor]];
    expect([ys.shape, hn.shape, cn.shape]).toEqual([
      [6, 3, 5],
      [6, 5],
      [6, 5],
    ]);
    // the last output is the last hidden state
    expect(arr(ys).slice(6 * 2, 6 * 3)).toEqual(arr(hn).slice(0, 6));
    const [h0, c0] = initialstates(LSTM(2, 3));
    expect([arr(h0), arr(c0)]).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(() => LSTM(4, 6).forward(randn([3, 2, 2]))).toThrow(LayerInputError);
    expect(() => LSTMCell(4, 6).forward(randn([3, 2]))).toThrow(LayerInputError);
    expect(() => RNN(4, 6).forward(randn([4]))).toThrow(LayerInputError);
  });

  test("no hidden state: the same input gives the same output; the initial state is an argument", () => {
    const m = GRU(2, 3);
    const x = randn([2, 4, 2]);
    expect(arr(m.forward(x))).toEqual(arr(m.forward(x)));
    const h = randn([3, 2]);
    expect(arr(m.forward(x, h))).not.toEqual(arr(m.forward(x)));
  });

  test("the sequence layer equals the cell applied step by step (Flux's scan)", () => {
    const lstm = LSTM(3, 4);
    const x = randn([3, 5, 2]);
    const y = lstm.forward(x);
    let s: readonly [Tensor, Tensor] = [zeros([4]), zeros([4])];
    const cols: number[][] = [];
    for (let t = 0; t < 5; t++) {
      const xt = tensor(
        Array.from({ length: 6 }, (_, k) => arr(x)[(k % 3) + 3 * t + 15 * Math.floor(k / 3)]!),
        [3, 2],
      );
      const [yt, s2] = lstm.cell.forward(xt, s);
      s = s2;
      cols.push(arr(yt));
    }
    const yv = arr(y);
    for (let t = 0; t < 5; t++)
      for (let b = 0; b < 2; b++)
        for (let i = 0; i < 4; i++) expect(yv[i + 4 * t + 20 * b]).toBeCloseTo(cols[t]![i + 4 * b]!, 5);
  });

  test("gradients reach every parameter through a Chain; fmap, state and loadmodel see the cell", () => {
    setDefaultRng(rng(3));
    const m = Chain(LSTM(3, 4), Dense(4, 2));
    expect(trainables(m).length).toBe(5);
    const x = randn([3, 6, 2]);
    const [g] = gradient((model) => sum(model.forward(x)), m);
    const gc = g.layers[0].cell;
    expect(gc.Wi.shape).toEqual([16, 3]);
    expect(gc.Wh.shape).toEqual([16, 4]);
    expect((gc.bias as Tensor).shape).toEqual([16]);
    expect(arr(gc.Wh).some((v) => v !== 0)).toBe(true);
    const s = state(m);
    expect(Object.keys(s.layers[0])).toEqual(["cell"]);
    expect(Object.keys(s.layers[0].cell)).toEqual(["Wi", "Wh", "bias"]);
    const m2 = Chain(LSTM(3, 4), Dense(4, 2));
    loadmodel(m2, s);
    expect(arr(m2.forward(x))).toEqual(arr(m.forward(x)));
    const doubled = fmap((t: Tensor) => mul(t, 2), LSTM(2, 2, { returnState: true }));
    expect(doubled).toBeInstanceOf(LSTM);
    expect(doubled.returnState).toBe(true);
  });

  test("a forward pass outside gradient frees its temporaries", () => {
    const m = LSTM(3, 4);
    const r = Recurrence(GRUCell(3, 4));
    const x = randn([3, 7, 2]);
    const before = memory().liveTensors;
    const y = m.forward(x);
    expect(memory().liveTensors).toBe(before + 1);
    y.dispose();
    r.forward(x).dispose();
    expect(memory().liveTensors).toBe(before);
  });
});

const hasTorch = spawnSync("python3", ["-c", "import torch"]).status === 0;

// Our safetensors file read by numpy and put into torch's nn.LSTM/nn.GRU: the same outputs.
const PYTHON = `
import json, struct, sys
import numpy as np, torch
def read(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    h = json.loads(b[8:8+n])
    return {k: torch.tensor(np.frombuffer(b[8+n+v["data_offsets"][0]:8+n+v["data_offsets"][1]], dtype="<f4").reshape(v["shape"]).copy())
            for k, v in h.items() if k != "__metadata__"}
t = read(sys.argv[1])
x = torch.tensor(json.load(open(sys.argv[2])), dtype=torch.float32)  # torch (len, batch, in)
out = {}
for name, cls in [("layers.0", torch.nn.LSTM), ("layers.1", torch.nn.GRU)]:
    Wi, Wh = t[name + ".cell.Wi"], t[name + ".cell.Wh"]
    b = t.get(name + ".cell.bias", t.get(name + ".cell.b"))
    m = cls(Wi.shape[1], Wh.shape[1])
    with torch.no_grad():
        m.weight_ih_l0.copy_(Wi); m.weight_hh_l0.copy_(Wh); m.bias_ih_l0.copy_(b); m.bias_hh_l0.zero_()
    y, _ = m(x if name == "layers.0" else x[:, :, :Wi.shape[1]])
    out[name] = y.detach().permute(2, 0, 1).reshape(-1).tolist()  # -> [hidden, len, batch] row-major... reversed below
print(json.dumps(out))
`;

describe("PyTorch reads our recurrent weights [optional: skipped when python3 cannot import torch]", () => {
  test.skipIf(!hasTorch)(
    "nn.LSTM and nn.GRU with our file's weight_ih/weight_hh give our outputs",
    async () => {
      setDefaultRng(rng(11));
      const lstm = LSTM(3, 4);
      const gru = GRU(3, 2);
      // give the biases values so that their layout is checked too
      lstm.cell.bias = randn([16]);
      gru.cell.b = randn([6]);
      const dir = mkdtempSync(join(tmpdir(), "flux-rnn-py-"));
      await save(join(dir, "m.safetensors"), Chain(lstm, gru));
      const L = 4;
      const B = 2;
      const x = randn([3, L, B]);
      const xv = arr(x);
      // torch (len, batch, in)[t][b][i] = ours x[i, t, b]
      const xt = Array.from({ length: L }, (_, t) =>
        Array.from({ length: B }, (_, b) => Array.from({ length: 3 }, (_, i) => xv[i + 3 * t + 3 * L * b]!)),
      );
      writeFileSync(join(dir, "x.json"), JSON.stringify(xt));
      const run = spawnSync("python3", ["-c", PYTHON, join(dir, "m.safetensors"), join(dir, "x.json")], {
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      const py = JSON.parse(run.stdout) as Record<string, number[]>;
      for (const [name, m, H] of [
        ["layers.0", lstm, 4],
        ["layers.1", gru, 2],
      ] as const) {
        const ours = arr(m.forward(x));
        // py is row-major [H, L, B]: index (h*L + t)*B + b; ours column-major h + H*t + H*L*b.
        for (let h = 0; h < H; h++)
          for (let t = 0; t < L; t++)
            for (let b = 0; b < B; b++)
              expect(ours[h + H * t + H * L * b]).toBeCloseTo(py[name]![(h * L + t) * B + b]!, 5);
      }
    },
  );
});
