// PyTorch naming without PyTorch: the names a Chain of our layers gets, round trips, the BatchNorm counter,
// ties, declared names for custom layers, and the hint when a file uses the other naming.
import { assign, tensor } from "@flux/kernels";
import { functor } from "@flux/functors";
import { describe, expect, test } from "vitest";
import {
  BatchNorm,
  Chain,
  Conv,
  Dense,
  Embedding,
  GroupNorm,
  InstanceNorm,
  LayerNorm,
  loadBytes,
  parseSafetensors,
  relu,
  SafetensorsError,
  saveBytes,
  torchNames,
} from "../index.js";

const model = () =>
  Chain(
    Conv([3, 3], 1, 2, relu),
    BatchNorm(2),
    Chain(Dense(4, 3), relu, LayerNorm(3)),
    Chain({ emb: Embedding(5, 4), head: Dense(4, 2, undefined, { bias: false }) }),
  );

describe("names: pytorch", () => {
  test("a Chain of our layers gets its PyTorch state_dict names, with num_batches_tracked as I64 []", async () => {
    const file = parseSafetensors(await saveBytes(model(), { names: "pytorch" }));
    expect([...file.tensors.keys()].sort()).toEqual(
      [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
        "2.0.weight",
        "2.0.bias",
        "2.2.weight",
        "2.2.bias",
        "3.emb.weight",
        "3.head.weight",
      ].sort(),
    );
    const counter = file.tensors.get("1.num_batches_tracked")!;
    expect([counter.dtype, counter.shape, counter.bytes.length]).toEqual(["I64", [], 8]);
    expect(file.metadata["flux.names"]).toBe("pytorch");
    expect(file.tensors.get("0.weight")!.shape).toEqual([2, 1, 3, 3]);
  });

  test("round trip in PyTorch names restores every tensor, BatchNorm statistics included", async () => {
    const a = model();
    const bn = a.get(1) as BatchNorm;
    assign(bn.mean!, tensor([0.5, -0.5], [2]));
    assign(bn.var!, tensor([2, 3], [2]));
    const b = loadBytes(await saveBytes(a, { names: "pytorch" }), model(), { names: "pytorch" });
    const bnb = b.get(1) as BatchNorm;
    expect(Array.from(bnb.mean!.dataSync())).toEqual([0.5, -0.5]);
    expect(Array.from(bnb.var!.dataSync())).toEqual([2, 3]);
    expect(Array.from(bnb.gamma!.dataSync())).toEqual(Array.from(bn.gamma!.dataSync()));
    const ln = (x: typeof a) => ((x.get(2) as Chain).get(2) as LayerNorm).diag!.scale;
    expect(Array.from(ln(b).dataSync())).toEqual(Array.from(ln(a).dataSync()));
  });

  test("a loaded num_batches_tracked is kept for the next PyTorch-named save; a bad one is refused", async () => {
    const src = await saveBytes(model(), { names: "pytorch" });
    const file = parseSafetensors(src);
    // Rewrite the counter to 7 in place: its 8 bytes are a view into `src`.
    const at = file.tensors.get("1.num_batches_tracked")!.bytes;
    new DataView(at.buffer, at.byteOffset, 8).setBigInt64(0, 7n, true);
    const m = loadBytes(src, model(), { names: "pytorch" });
    const again = parseSafetensors(await saveBytes(m, { names: "pytorch" }));
    const bytes = again.tensors.get("1.num_batches_tracked")!.bytes;
    expect(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigInt64(0, true)).toBe(7n);
    // A state dict without counters loads too (they are optional); one with a float counter does not.
    const { encodeSafetensors } = await import("./safetensors/encode.js");
    const entries = [...file.tensors].map(([name, e]) =>
      name === "1.num_batches_tracked"
        ? { name, dtype: "F32", shape: [1], bytes: new Uint8Array(4) }
        : { name, dtype: e.dtype, shape: e.shape, bytes: e.bytes },
    );
    expect(() => loadBytes(encodeSafetensors(entries, {}), model(), { names: "pytorch" })).toThrow(
      /num_batches_tracked.*I64 scalar/,
    );
    const without = entries.filter((e) => !e.name.endsWith("num_batches_tracked"));
    loadBytes(encodeSafetensors(without, {}), model(), { names: "pytorch" });
  });

  test("tied tensors are written under each name (strict PyTorch loading wants them all)", async () => {
    const d = Dense(2, 2);
    const file = parseSafetensors(await saveBytes(Chain(d, d), { names: "pytorch" }));
    expect([...file.tensors.keys()]).toEqual(["0.weight", "0.bias", "1.weight", "1.bias"]);
    const e = Dense(2, 2);
    const tied = Chain(e, e);
    loadBytes(await saveBytes(Chain(d, d), { names: "pytorch" }), tied, { names: "pytorch" });
    expect(Array.from(e.weight.dataSync())).toEqual(Array.from(d.weight.dataSync()));
  });

  test("a file in the other naming says which option to pass", async () => {
    const ours = await saveBytes(model());
    const theirs = await saveBytes(model(), { names: "pytorch" });
    expect(() => loadBytes(theirs, model())).toThrow(/PyTorch's names.*pass \{ names: "pytorch" \}/);
    expect(() => loadBytes(ours, model(), { names: "pytorch" })).toThrow(/our names.*leave out/);
    expect(() => loadBytes(ours, model(), { names: "pytorch" })).toThrow(SafetensorsError);
  });

  test("GroupNorm and InstanceNorm take nn.GroupNorm's and nn.InstanceNorm2d's names", async () => {
    const m = Chain(GroupNorm(4, 2), InstanceNorm(3, undefined, { affine: true, trackStats: true }));
    const file = parseSafetensors(await saveBytes(m, { names: "pytorch" }));
    expect([...file.tensors.keys()].sort()).toEqual(
      [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
      ].sort(),
    );
  });

  test("custom layers declare their PyTorch names with torchNames", async () => {
    class Affine {
      gain = tensor([1, 2], [2]);
      shift = tensor([3, 4], [2]);
      inner = { w: tensor([5], [1]) };
      forward(x: unknown) {
        return x;
      }
    }
    functor(Affine, ["gain", "shift", "inner"]);
    torchNames(Affine, { gain: "weight", shift: "bias", inner: "" });
    const file = parseSafetensors(await saveBytes(Chain(new Affine()), { names: "pytorch" }));
    expect([...file.tensors.keys()]).toEqual(["0.weight", "0.bias", "0.w"]);
    expect(() => torchNames(Affine, { gain: "a.b" })).toThrow(/without "."/);
  });
});
