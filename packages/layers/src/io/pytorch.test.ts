// Against PyTorch itself: an nn.Sequential's state_dict (written as safetensors by hand in Python: torch
// has no safetensors writer without the extra package) loads into our Chain with { names: "pytorch" } and
// gives the same outputs; our PyTorch-named file loads into the nn.Sequential with strict=True and gives
// ours. Needs python3 with torch; without it the test is skipped, saying so (no GPU or MPI involved).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randn, rng, type Tensor, tensor } from "@flux/kernels";
import { hasTorch, SAFETENSORS_PY } from "./torch.testing.js";
import { describe, expect, test } from "vitest";
import {
  BatchNorm,
  Chain,
  Conv,
  Dense,
  Embedding,
  flatten,
  GroupNorm,
  InstanceNorm,
  LayerNorm,
  load,
  relu,
  save,
  tanh,
  testmode,
  trainmode,
} from "../index.js";

const PYTHON = `${SAFETENSORS_PY}
def conv_net():
    return nn.Sequential(
        nn.Conv2d(2, 4, (3, 2)), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
        nn.Linear(36, 8), nn.LayerNorm(8), nn.Sequential(nn.Linear(8, 5), nn.Tanh()), nn.Linear(5, 3))

def embed_net():
    return nn.Sequential(nn.Embedding(10, 6), nn.LayerNorm(6), nn.Linear(6, 3))

def norm_net():
    return nn.Sequential(nn.GroupNorm(1, 2), nn.InstanceNorm2d(2, affine=True, track_running_stats=True))




mode, folder = sys.argv[1], sys.argv[2]
x = torch.tensor(json.load(open(folder + "/x.json")), dtype=torch.float32).reshape(2, 2, 5, 4)  # NCHW
tokens = torch.tensor([1, 4, 9, 0])
if mode == "export":
    torch.manual_seed(0)
    conv, embed, norm = conv_net(), embed_net(), norm_net()
    conv.train(); norm.train()
    for _ in range(3): conv(torch.randn(6, 2, 5, 4) * 2 + 1)   # running stats move; num_batches_tracked = 3
    for _ in range(2): norm(torch.randn(6, 2, 5, 4) * 3 - 1)
    with torch.no_grad():
        for p in norm.parameters(): p.add_(torch.randn_like(p))    # affine parts away from 1 and 0
    conv.eval(); embed.eval(); norm.eval()
    write(folder + "/conv.safetensors", conv.state_dict())
    write(folder + "/embed.safetensors", embed.state_dict())
    write(folder + "/norm.safetensors", norm.state_dict())
    with torch.no_grad():
        print(json.dumps({"conv": conv(x).flatten().tolist(), "embed": embed(tokens).flatten().tolist(),
                          "norm": norm(x).flatten().tolist()}))
else:
    conv, embed, again = conv_net(), embed_net(), conv_net()
    conv.load_state_dict(read(folder + "/ours-conv.safetensors"), strict=True)
    embed.load_state_dict(read(folder + "/ours-embed.safetensors"), strict=True)
    again.load_state_dict(read(folder + "/again-conv.safetensors"), strict=True)
    norm_net().load_state_dict(read(folder + "/again-norm.safetensors"), strict=True)
    conv.eval(); embed.eval(); again.eval()
    with torch.no_grad():
        print(json.dumps({"conv": conv(x).flatten().tolist(), "embed": embed(tokens).flatten().tolist(),
                          "batches": int(conv[1].num_batches_tracked), "again": again(x).flatten().tolist(),
                          "again_batches": int(again[1].num_batches_tracked)}))
`;

// The same networks in our layers: Conv's kernel is [kW, kH], images are [W, H, C, N] (NCHW's bytes).
const convNet = () =>
  Chain(
    Conv([2, 3], 2, 4),
    BatchNorm(4),
    relu,
    flatten,
    Dense(36, 8),
    LayerNorm(8),
    Chain(Dense(8, 5), tanh),
    Dense(5, 3),
  );
const embedNet = () => Chain(Embedding(10, 6), LayerNorm(6), Dense(6, 3));
const normNet = () => Chain(GroupNorm(2, 1), InstanceNorm(2, undefined, { affine: true, trackStats: true }));

const values = (t: Tensor) => Array.from(t.dataSync() as Float32Array);
function expectClose(ours: number[], theirs: number[]): void {
  expect(ours.length).toBe(theirs.length);
  for (const [i, v] of theirs.entries()) expect(Math.abs(v - ours[i]!), `element ${i}`).toBeLessThan(1e-4);
}

function python(mode: string, dir: string): Record<string, number[] | number> {
  const run = spawnSync("python3", ["-c", PYTHON, mode, dir], { encoding: "utf8" });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
}

describe("PyTorch state dicts (names: pytorch)", () => {
  test.skipIf(!hasTorch)(
    "nn.Sequential → our Chain and back, strict=True, same outputs [optional: skipped when python3 cannot import torch]",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "flux-torch-"));
      const x = Array.from(randn([4, 5, 2, 2], { rng: rng(3) }).dataSync() as Float32Array);
      writeFileSync(join(dir, "x.json"), JSON.stringify(x));
      const xs = tensor(x, [4, 5, 2, 2]);
      const tokens = tensor(new Int32Array([1, 4, 9, 0]), [4], { dtype: "i32" });

      // PyTorch → ours: no renaming by hand, BatchNorm statistics and counter included.
      const theirs = python("export", dir) as { conv: number[]; embed: number[]; norm: number[] };
      const conv = testmode(await load(join(dir, "conv.safetensors"), convNet(), { names: "pytorch" }));
      const embed = testmode(await load(join(dir, "embed.safetensors"), embedNet(), { names: "pytorch" }));
      expectClose(values(conv.forward(xs) as Tensor), theirs.conv);
      expectClose(values(embed.forward(tokens) as Tensor), theirs.embed);
      const norm = testmode(await load(join(dir, "norm.safetensors"), normNet(), { names: "pytorch" }));
      expectClose(values(norm.forward(xs) as Tensor), theirs.norm);

      // Ours → PyTorch: a model of our own, its BatchNorm statistics moved by training-mode passes.
      const mine = trainmode(convNet());
      for (let i = 0; i < 3; i++) mine.forward(randn([4, 5, 2, 6], { rng: rng(10 + i) }));
      testmode(mine);
      const mineEmbed = embedNet();
      await save(join(dir, "ours-conv.safetensors"), mine, { names: "pytorch" });
      await save(join(dir, "ours-embed.safetensors"), mineEmbed, { names: "pytorch" });
      // And the model PyTorch wrote, saved back: its counter (3) survives the round trip.
      await save(join(dir, "again-conv.safetensors"), conv, { names: "pytorch" });
      await save(join(dir, "again-norm.safetensors"), norm, { names: "pytorch" });
      const back = python("import", dir) as {
        conv: number[];
        embed: number[];
        batches: number;
        again: number[];
        again_batches: number;
      };
      expectClose(values(mine.forward(xs) as Tensor), back.conv);
      expectClose(values(mineEmbed.forward(tokens) as Tensor), back.embed);
      expect(back.batches).toBe(0); // we do not count batches; a loaded counter is written back
      expect(back.again_batches).toBe(3);
      expectClose(back.again, theirs.conv);
    },
  );
});
