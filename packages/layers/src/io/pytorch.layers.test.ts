// Every layer that has a PyTorch twin, against PyTorch itself, both ways: PyTorch builds the module (fixed
// seed, every parameter random, so no bias is a convenient zero), runs an input and writes its state_dict;
// we load it with { names: "pytorch" } and must give its output for the same input. Then our layer, saved
// with PyTorch names, must load into the PyTorch module with strict=True and give our output. Needs python3
// with torch; without it these tests are skipped, saying so (the parts that need no PyTorch are in
// torchTensors.test.ts and torchNames.test.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assign, randn, rng, type Tensor, tensor } from "@flux/kernels";
import { hasTorch, SAFETENSORS_PY } from "./torch.testing.js";
import { beforeAll, describe, expect, test } from "vitest";
import {
  Bilinear,
  Conv,
  ConvTranspose,
  CrossCor,
  GRU,
  GRUCell,
  LSTM,
  LSTMCell,
  load,
  MultiHeadAttention,
  RNN,
  RNNCell,
  SafetensorsError,
  save,
  trainables,
} from "../index.js";

const PYTHON = `${SAFETENSORS_PY}
def modules():
    return {
        "rnn": nn.RNN(3, 4, batch_first=True),
        "lstm": nn.LSTM(3, 4, batch_first=True),
        "gru": nn.GRU(3, 4, batch_first=True),
        "rnncell": nn.RNNCell(3, 4),
        "lstmcell": nn.LSTMCell(3, 4),
        "grucell": nn.GRUCell(3, 4),
        "mha": nn.MultiheadAttention(8, 2, batch_first=True),
        "mha_kv": nn.MultiheadAttention(8, 2, batch_first=True, kdim=5, vdim=6),
        "mha_nobias": nn.MultiheadAttention(8, 2, bias=False, batch_first=True),
        "conv_groups": nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=1, groups=2),
        "depthwise": nn.Conv2d(3, 6, 3, padding=1, groups=3),
        "conv1d": nn.Conv1d(3, 4, 3, dilation=2),
        "conv3d": nn.Conv3d(2, 3, (2, 3, 4)),
        "crosscor": nn.Conv2d(2, 3, (3, 2), padding=(1, 0)),
        "convt": nn.ConvTranspose2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), output_padding=(1, 0), groups=2),
        "convt1d": nn.ConvTranspose1d(2, 3, 3, stride=2, dilation=2),
        "convt3d": nn.ConvTranspose3d(2, 3, (2, 3, 2), stride=(1, 2, 1)),
        "bilinear": nn.Bilinear(3, 4, 2),
    }

def inputs(name):
    g = torch.Generator().manual_seed(1)
    r = lambda *s: torch.randn(*s, generator=g)
    return {
        "rnn": [r(2, 5, 3)], "lstm": [r(2, 5, 3)], "gru": [r(2, 5, 3)],
        "rnncell": [r(2, 3), r(2, 4)], "grucell": [r(2, 3), r(2, 4)], "lstmcell": [r(2, 3), r(2, 4), r(2, 4)],
        "mha": [r(2, 5, 8)], "mha_nobias": [r(2, 5, 8)], "mha_kv": [r(2, 5, 8), r(2, 7, 5), r(2, 7, 6)],
        "conv_groups": [r(2, 4, 5, 6)], "depthwise": [r(2, 3, 5, 6)], "conv1d": [r(2, 3, 9)],
        "conv3d": [r(2, 2, 4, 5, 6)], "crosscor": [r(2, 2, 5, 6)], "convt": [r(2, 4, 4, 5)],
        "convt1d": [r(2, 2, 5)], "convt3d": [r(2, 2, 3, 4, 3)], "bilinear": [r(5, 3), r(5, 4)],
    }[name]

def run(name, m, xs):
    if name in ("rnn", "lstm", "gru"): return m(xs[0])[0]
    if name == "lstmcell":
        h, c = m(xs[0], (xs[1], xs[2]))
        return torch.cat([h.flatten(), c.flatten()])
    if name in ("rnncell", "grucell", "bilinear"): return m(xs[0], xs[1])
    if name.startswith("mha"):
        q = xs[0]; k = xs[1] if len(xs) > 1 else q; v = xs[2] if len(xs) > 2 else k
        return m(q, k, v, need_weights=False)[0]
    return m(xs[0])



mode, folder = sys.argv[1], sys.argv[2]
result = {}
if mode == "export":
    torch.manual_seed(0)
    for name, m in modules().items():
        with torch.no_grad():
            for p in m.parameters(): p.copy_(torch.randn_like(p) * 0.5)
            if name in ("gru", "grucell"):
                # Flux's GRU has no b_hn (see the README): the loadable file has it zero, a copy keeps it.
                bad = {k: v.clone() for k, v in m.state_dict().items()}
                write(folder + "/" + name + "-bhn.safetensors", bad)
                for k, p in m.named_parameters():
                    if k.startswith("bias_hh"): p[2 * 4:].zero_()
        m.eval()
        write(folder + "/" + name + ".safetensors", m.state_dict())
        xs = inputs(name)
        with torch.no_grad(): y = run(name, m, xs)
        result[name] = {"inputs": [[x.flatten().tolist(), list(x.shape)] for x in xs], "output": y.flatten().tolist()}
else:
    for name, m in modules().items():
        m.load_state_dict(read(folder + "/ours-" + name + ".safetensors"), strict=True)
        m.eval()
        with torch.no_grad(): result[name] = run(name, m, inputs(name)).flatten().tolist()
print(json.dumps(result))
`;

// Our twins. Shapes are PyTorch's reversed (our column-major [in, len, batch] is the same bytes as its
// row-major batch_first [batch, len, in]; a kernel (kH, kW) is our [kW, kH]; strides and pads likewise).
interface Case {
  make(): unknown;
  run(m: never, xs: Tensor[]): number[];
}
const flat = (t: Tensor) => Array.from(t.dataSync() as Float32Array);
const fwd = (m: { forward(...xs: Tensor[]): Tensor }, xs: Tensor[]) => flat(m.forward(...xs));
const CASES: Record<string, Case> = {
  rnn: { make: () => RNN(3, 4), run: fwd },
  lstm: { make: () => LSTM(3, 4), run: fwd },
  gru: { make: () => GRU(3, 4), run: fwd },
  rnncell: { make: () => RNNCell(3, 4), run: (m: RNNCell, [x, h]) => flat(m.forward(x!, h)[0]) },
  grucell: { make: () => GRUCell(3, 4), run: (m: GRUCell, [x, h]) => flat(m.forward(x!, h)[0]) },
  lstmcell: {
    make: () => LSTMCell(3, 4),
    run: (m: LSTMCell, [x, h, c]) => {
      const [, [h2, c2]] = m.forward(x!, [h!, c!]);
      return [...flat(h2), ...flat(c2)];
    },
  },
  mha: {
    make: () => MultiHeadAttention(8, { nheads: 2, bias: true }),
    run: (m: MultiHeadAttention, xs) => flat(m.forward(xs[0]!)[0]),
  },
  mha_kv: {
    make: () => MultiHeadAttention([[8, 5, 6], 8, 8], { nheads: 2, bias: true }),
    run: (m: MultiHeadAttention, [q, k, v]) => flat(m.forward(q!, k!, v!)[0]),
  },
  mha_nobias: {
    make: () => MultiHeadAttention(8, { nheads: 2 }),
    run: (m: MultiHeadAttention, xs) => flat(m.forward(xs[0]!)[0]),
  },
  conv_groups: { make: () => Conv([2, 3], 4, 6, undefined, { stride: [1, 2], pad: 1, groups: 2 }), run: fwd },
  depthwise: { make: () => Conv([3, 3], 3, 6, undefined, { pad: 1, groups: 3 }), run: fwd },
  conv1d: { make: () => Conv([3], 3, 4, undefined, { dilation: 2 }), run: fwd },
  conv3d: { make: () => Conv([4, 3, 2], 2, 3), run: fwd },
  crosscor: { make: () => CrossCor([2, 3], 2, 3, undefined, { pad: [0, 1] }), run: fwd },
  convt: {
    make: () =>
      ConvTranspose([2, 3], 4, 6, undefined, { stride: [1, 2], pad: [0, 1], outpad: [0, 1], groups: 2 }),
    run: fwd,
  },
  convt1d: { make: () => ConvTranspose([3], 2, 3, undefined, { stride: 2, dilation: 2 }), run: fwd },
  convt3d: { make: () => ConvTranspose([2, 3, 2], 2, 3, undefined, { stride: [1, 2, 1] }), run: fwd },
  bilinear: { make: () => Bilinear([3, 4], 2), run: fwd },
};

function expectClose(ours: number[], theirs: number[], what: string): void {
  expect(ours.length, what).toBe(theirs.length);
  let worst = 0;
  for (const [i, v] of theirs.entries())
    worst = Math.max(worst, Math.abs(v - ours[i]!) / Math.max(1, Math.abs(v)));
  expect(worst, `${what}: largest difference`).toBeLessThan(1e-4);
}

function python(mode: string, dir: string): Record<string, unknown> {
  const run = spawnSync("python3", ["-c", PYTHON, mode, dir], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
}

type Export = Record<string, { inputs: [number[], number[]][]; output: number[] }>;

// Both Python runs happen once, before the per-layer checks: PyTorch's files and outputs, then our files
// (every tensor random, biases included) loaded into PyTorch with strict=True and run there.
let dir = "";
let theirs: Export = {};
const loaded: Record<string, unknown> = {};
const ours: Record<string, number[]> = {};
let back: Record<string, number[]> = {};
const inputsOf = (name: string) => theirs[name]!.inputs.map(([v, shape]) => tensor(v, [...shape].reverse()));

describe.skipIf(!hasTorch)(
  "PyTorch twins (names: pytorch) against PyTorch [optional: skipped when python3 cannot import torch]",
  () => {
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "flux-torch-twins-"));
      theirs = python("export", dir) as Export;
      for (const [name, c] of Object.entries(CASES)) {
        loaded[name] = await load(join(dir, `${name}.safetensors`), c.make(), { names: "pytorch" }).catch(
          (e) => e,
        );
        const mine = c.make();
        for (const [i, t] of trainables(mine).entries())
          assign(t, randn([...t.shape], { rng: rng(100 + i) }));
        await save(join(dir, `ours-${name}.safetensors`), mine, { names: "pytorch" });
        ours[name] = c.run(mine as never, inputsOf(name));
      }
      back = python("import", dir) as Record<string, number[]>;
    }, 60_000);

    test.each(Object.keys(CASES))(
      "%s: PyTorch's file gives PyTorch's output; ours loads strictly and gives ours",
      (name) => {
        expect(Object.keys(theirs).sort()).toEqual(Object.keys(CASES).sort());
        const m = loaded[name];
        if (m instanceof Error) throw m;
        expectClose(
          CASES[name]!.run(m as never, inputsOf(name)),
          theirs[name]!.output,
          `${name}: PyTorch's file`,
        );
        expectClose(ours[name]!, back[name]!, `${name}: our file in PyTorch`);
      },
    );

    test("a GRU whose b_hn is not zero has no Flux twin: refused, never approximated", async () => {
      for (const [name, make] of [
        ["gru", () => GRU(3, 4)],
        ["grucell", () => GRUCell(3, 4)],
      ] as const) {
        const file = join(dir, `${name}-bhn.safetensors`);
        await expect(load(file, make(), { names: "pytorch" })).rejects.toThrow(SafetensorsError);
        await expect(load(file, make(), { names: "pytorch" })).rejects.toThrow(
          /"bias_hh(_l0)?"\[8\].*must be zero.*b_hn/,
        );
      }
    });
  },
);
