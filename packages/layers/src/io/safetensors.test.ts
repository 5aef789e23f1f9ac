import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relu, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  BatchNorm,
  Chain,
  Conv,
  Dense,
  Embedding,
  load,
  loadBytes,
  parseSafetensors,
  SafetensorsError,
  save,
  saveBytes,
} from "../index.js";

const vals = (t: Tensor | false | null) => Array.from((t as Tensor).dataSync() as Float32Array);
const model = () => Chain(Conv([3, 2], 2, 4, relu), BatchNorm(4), Dense(6, 3), Embedding(5, 6));

describe("safetensors files", () => {
  test("round trip through bytes and through a file restores every tensor", async () => {
    const a = model();
    const b = model();
    const bytes = await saveBytes(a);
    loadBytes(bytes, b);
    for (const [x, y] of [
      [a.get(0) as Conv, b.get(0) as Conv],
      [a.get(2) as Dense, b.get(2) as Dense],
    ] as const) {
      expect(vals(y.weight)).toEqual(vals(x.weight));
      expect(vals(y.bias)).toEqual(vals(x.bias));
    }
    expect(vals((b.get(1) as BatchNorm).var)).toEqual(vals((a.get(1) as BatchNorm).var));
    const dir = mkdtempSync(join(tmpdir(), "flux-layers-"));
    const c = model();
    await save(join(dir, "m.safetensors"), a);
    expect(await load(join(dir, "m.safetensors"), c)).toBe(c);
    expect(vals((c.get(3) as Embedding).weight)).toEqual(vals((a.get(3) as Embedding).weight));
  });

  test("names are key paths; shapes are PyTorch's; metadata says so", async () => {
    const file = parseSafetensors(await saveBytes(model()));
    expect([...file.tensors.keys()]).toEqual([
      "layers.0.weight",
      "layers.0.bias",
      "layers.1.beta",
      "layers.1.gamma",
      "layers.1.mean",
      "layers.1.var",
      "layers.2.weight",
      "layers.2.bias",
      "layers.3.weight",
    ]);
    expect(file.tensors.get("layers.0.weight")!.shape).toEqual([4, 2, 2, 3]); // nn.Conv2d [cout, cin, kH, kW]
    expect(file.tensors.get("layers.2.weight")!.shape).toEqual([3, 6]); // nn.Linear [out, in]
    expect(file.tensors.get("layers.3.weight")!.shape).toEqual([5, 6]); // nn.Embedding [vocab, dim]
    expect(file.metadata["flux.layout"]).toBe("torch");
  });

  test("tied tensors are stored once and stay tied", async () => {
    const d = Dense(3, 3);
    const file = parseSafetensors(await saveBytes(Chain(d, d)));
    expect([...file.tensors.keys()]).toEqual(["layers.0.weight", "layers.0.bias"]);
    expect(JSON.parse(file.metadata["flux.ties"]!)).toEqual({
      "layers.1.weight": "layers.0.weight",
      "layers.1.bias": "layers.0.bias",
    });
    const e = Dense(3, 3);
    const tied = Chain(e, e);
    loadBytes(await saveBytes(Chain(d, d)), tied);
    expect(tied.get(0)).toBe(tied.get(1));
    expect(vals(e.weight)).toEqual(vals(d.weight));
  });

  test("mismatches name the key and leave the model untouched", async () => {
    const dst = Chain(Dense(2, 3), Dense(3, 1));
    const before = vals((dst.get(0) as Dense).weight);
    const expectCode = async (src: unknown, code: string, key: string) => {
      try {
        loadBytes(await saveBytes(src), dst);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(SafetensorsError);
        expect((err as SafetensorsError).code).toBe(code);
        expect((err as Error).message).toContain(key);
      }
      expect(vals((dst.get(0) as Dense).weight)).toEqual(before);
    };
    await expectCode(Chain(Dense(2, 3), Dense(4, 1)), "ERR_SAFETENSORS_SHAPE", "layers.1.weight");
    await expectCode(Chain(Dense(2, 3)), "ERR_SAFETENSORS_MISSING", "layers.1.weight");
    await expectCode(Chain(Dense(2, 3), Dense(3, 1), Dense(1, 1)), "ERR_SAFETENSORS_UNEXPECTED", "layers.2");
  });
});

const hasNumpy = spawnSync("python3", ["-c", "import numpy"]).status === 0;

// An independent reader and writer (struct, json, numpy only): what PyTorch/HF tools would see.
const PYTHON = `
import json, struct, sys
import numpy as np
def read(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    h = json.loads(b[8:8+n])
    out = {}
    for k, v in h.items():
        if k == "__metadata__": continue
        s, e = v["data_offsets"]
        out[k] = np.frombuffer(b[8+n+s:8+n+e], dtype={"F32": "<f4"}[v["dtype"]]).reshape(v["shape"])
    return out
def write(path, tensors):
    header, blobs, at = {}, [], 0
    for k, a in tensors.items():
        raw = np.ascontiguousarray(a, dtype="<f4").tobytes()
        header[k] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [at, at + len(raw)]}
        blobs.append(raw); at += len(raw)
    h = json.dumps(header).encode()
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
src, dst, x_path = sys.argv[1], sys.argv[2], sys.argv[3]
t = read(src)
x = np.array(json.load(open(x_path)), dtype=np.float32)           # a [6] input, the same for both sides
W, b = t["layers.0.weight"], t["layers.0.bias"]                   # nn.Linear: y = W @ x + b
conv_w = t["layers.1.weight"]                                     # nn.Conv2d weight [cout, cin, kH, kW]
img = x.reshape(1, 1, 2, 3)                                       # NCHW: H=2, W=3
# PyTorch's conv2d is a cross-correlation: out[o, i, j] = sum w[o, c, a, b] * img[c, i+a, j+b]
kh, kw = conv_w.shape[2], conv_w.shape[3]
conv = np.array([[[sum(conv_w[o, 0, a, b2] * img[0, 0, i + a, j + b2] for a in range(kh) for b2 in range(kw))
          for j in range(img.shape[3] - kw + 1)] for i in range(img.shape[2] - kh + 1)] for o in range(conv_w.shape[0])])
print(json.dumps({"linear": (W @ x + b).tolist(), "conv": conv.ravel().tolist(), "shape": list(conv.shape)}))
write(dst, {"layers.0.weight": np.arange(18, dtype=np.float32).reshape(3, 6) / 10,
            "layers.0.bias": np.array([1, 2, 3], dtype=np.float32),
            "layers.1.weight": np.arange(4, dtype=np.float32).reshape(2, 1, 1, 2),
            "layers.1.bias": np.array([0.5, -0.5], dtype=np.float32)})
`;

describe("interoperating with an independent numpy reader/writer", () => {
  test.skipIf(!hasNumpy)(
    "PyTorch's math on our file gives our outputs; their file loads into ours",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "flux-layers-py-"));
      const x = [0.5, -1, 2, 0.25, 3, -0.75];
      writeFileSync(join(dir, "x.json"), JSON.stringify(x));
      const dense = Dense(6, 3);
      const conv = Conv([2, 2], 1, 2, undefined, { bias: false });
      await save(join(dir, "ours.safetensors"), Chain(dense, conv));
      const run = spawnSync(
        "python3",
        ["-c", PYTHON, join(dir, "ours.safetensors"), join(dir, "theirs.safetensors"), join(dir, "x.json")],
        {
          encoding: "utf8",
        },
      );
      expect(run.stderr).toBe("");
      const py = JSON.parse(run.stdout) as { linear: number[]; conv: number[]; shape: number[] };
      const ours = vals(dense.forward(tensor(x, [6, 1])));
      for (const [i, v] of py.linear.entries()) expect(Math.abs(v - ours[i]!)).toBeLessThan(1e-5);
      // Our image [W=3, H=2, C=1, N=1] holds the same bytes as PyTorch's NCHW [1, 1, 2, 3].
      const y = conv.forward(tensor(x, [3, 2, 1, 1]));
      expect([y.shape[2], y.shape[1], y.shape[0]]).toEqual(py.shape);
      const yv = vals(y); // column-major [W', H', C] = row-major [C, H', W']: the same order as py.conv
      for (const [i, v] of py.conv.entries()) expect(Math.abs(v - yv[i]!)).toBeLessThan(1e-5);

      const mine = Chain(Dense(6, 3), Conv([2, 1], 1, 2));
      await load(join(dir, "theirs.safetensors"), mine);
      const d = mine.get(0) as Dense;
      // nn.Linear weight[o, i] = (6o + i) / 10 must be our weight[o, i] (column-major index o + 3i).
      expect(vals(d.weight)[1 + 3 * 2]).toBeCloseTo((6 * 1 + 2) / 10, 6);
      expect(vals(d.bias)).toEqual([1, 2, 3]);
      // Their cross-correlation kernel [cout=2, cin=1, kH=1, kW=2] = [[0, 1], [2, 3]]: ours is flipped.
      expect(vals((mine.get(1) as Conv).weight)).toEqual([1, 0, 3, 2]);
      expect(readFileSync(join(dir, "theirs.safetensors")).length).toBeGreaterThan(8);
    },
  );
});
