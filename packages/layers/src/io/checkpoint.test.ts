// Checkpoints: one safetensors file with the model, the optimiser state (tensors and plain values), the
// counts, generator states and extra JSON; loaded in place into fresh targets, checked before any write.
// (The end-to-end "resume gives the same numbers" test is apps/integration/src/checkpointResume.test.ts.)
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { relu, rng, setDefaultRng, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import {
  CHECKPOINT_VERSION,
  Chain,
  CheckpointError,
  checkpointBytes,
  Dense,
  loadCheckpoint,
  loadCheckpointBytes,
  parseSafetensors,
  SafetensorsError,
  save,
  saveCheckpoint,
} from "../index.js";

const vals = (t: Tensor) => Array.from(t.dataSync());

// A stand-in for @flux/optim's Leaf and rule (layers does not depend on optim): the same marks and fields.
class FakeRule {
  readonly kind = "Fake";
  constructor(
    readonly eta: number,
    readonly beta: readonly [number, number] = [0.9, 0.999],
  ) {}
  adjust(changes: Readonly<Record<string, unknown>>): FakeRule {
    const c = changes as { eta?: number; beta?: [number, number] };
    return new FakeRule(c.eta ?? this.eta, c.beta ?? this.beta);
  }
  toString(): string {
    return `Fake(eta=${this.eta})`;
  }
}
class FakeLeaf {
  constructor(
    public rule: { kind: string; adjust(c: Readonly<Record<string, unknown>>): unknown },
    public state: unknown,
    public frozen = false,
  ) {}
}
Object.defineProperty(FakeLeaf.prototype, Symbol.for("flux.optim.leaf"), { value: true });
Object.defineProperty(FakeLeaf.prototype, Symbol.for("flux.functor"), { value: Object.freeze(["state"]) });

function setupFake(model: ReturnType<typeof net>, eta = 0.01) {
  const leaf = (w: Tensor) =>
    new FakeLeaf(new FakeRule(eta), {
      mt: tensor(new Float32Array(w.size), [...w.shape]),
      betat: [0.9, 0.999],
      n: 0,
    });
  return {
    layers: model.layers.map((l) => ({ weight: leaf(l.weight), bias: leaf(l.bias as Tensor), σ: null })),
  };
}
const net = (seed: number) => {
  setDefaultRng(rng(seed)); // layers draw their initial weights from the default generator
  return Chain(Dense(2, 3, relu), Dense(3, 1)) as unknown as {
    layers: { weight: Tensor; bias: Tensor | false }[];
  };
};

describe("checkpoints", () => {
  test("round trip: tensors, plain optimiser state, hyper-parameters, frozen flags, counts, rngs, extra", async () => {
    const model = net(1);
    const optState = setupFake(model);
    const l0 = optState.layers[0]!.weight;
    l0.state = { mt: tensor([1, 2, 3, 4, 5, 6], [3, 2]), betat: [0.81, 0.998001], n: 7 };
    l0.rule = new FakeRule(0.005, [0.8, 0.99]);
    optState.layers[1]!.bias.frozen = true;
    const shuffle = rng(5);
    shuffle.uniform();
    const bytes = await checkpointBytes({
      model,
      optState,
      step: 1234,
      epoch: 3,
      rng: { shuffle },
      extra: { best: 0.91, note: "τ" },
    });
    // A valid safetensors file, 8-byte aligned data, the counts readable by any safetensors reader.
    const file = parseSafetensors(bytes);
    expect(file.metadata["flux.checkpoint.version"]).toBe(CHECKPOINT_VERSION);
    expect(file.metadata["flux.checkpoint.step"]).toBe("1234");
    expect(file.metadata["flux.checkpoint.epoch"]).toBe("3");
    expect(file.metadata["flux.layout"]).toBe("torch");
    expect([...file.tensors.keys()]).toContain("optState.layers.0.weight.state.mt");
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true) % 8).toBe(0);

    const fresh = net(99);
    const freshState = setupFake(fresh);
    const loadedRng = rng(0);
    const ck = loadCheckpointBytes(bytes, {
      model: fresh,
      optState: freshState,
      rng: { shuffle: loadedRng },
    });
    expect([ck.step, ck.epoch, ck.extra]).toEqual([1234, 3, { best: 0.91, note: "τ" }]);
    expect(ck.model).toBe(fresh);
    for (const [a, b] of model.layers.map((l, i) => [l, fresh.layers[i]!] as const)) {
      expect(vals(b.weight)).toEqual(vals(a.weight));
      expect(vals(b.bias as Tensor)).toEqual(vals(a.bias as Tensor));
    }
    const got = freshState.layers[0]!.weight;
    expect(vals((got.state as { mt: Tensor }).mt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect((got.state as { betat: number[]; n: number }).betat).toEqual([0.81, 0.998001]);
    expect((got.state as { n: number }).n).toBe(7);
    expect(got.rule).toMatchObject({ eta: 0.005, beta: [0.8, 0.99] });
    expect(freshState.layers[1]!.bias.frozen).toBe(true);
    expect(freshState.layers[0]!.bias.frozen).toBe(false);
    expect(loadedRng.uniform()).toBe(shuffle.uniform());
  });

  test("saveCheckpoint writes atomically; loadCheckpoint reads it back; a model file is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flux-ckpt-"));
    const path = join(dir, "run.safetensors");
    const model = net(1);
    const r = rng(3);
    await saveCheckpoint(path, { model, step: 10, rng: r });
    await saveCheckpoint(path, { model, step: 20, rng: r }); // over the old one
    expect(readdirSync(dir)).toEqual(["run.safetensors"]); // no temporary file left
    const again = rng(0);
    const ck = await loadCheckpoint(path, { model: net(2), rng: again });
    expect(ck.step).toBe(20);
    expect(again.uniform()).toBe(r.uniform());
    expect(readFileSync(path).length).toBeGreaterThan(8);

    const modelFile = join(dir, "model.safetensors");
    await save(modelFile, model);
    await expect(loadCheckpoint(modelFile, { model: net(2) })).rejects.toThrow(/not a checkpoint/);
  });

  test("mismatched targets throw before anything is written", async () => {
    const model = net(1);
    const optState = setupFake(model);
    const bytes = await checkpointBytes({ model, optState, rng: { shuffle: rng(1) } });
    const target = net(2);
    const before = vals(target.layers[0]!.weight);
    const check = (
      targets: Parameters<typeof loadCheckpointBytes>[1],
      pattern: RegExp,
      cls = CheckpointError,
    ) => {
      expect(() => loadCheckpointBytes(bytes, targets)).toThrow(cls);
      expect(() => loadCheckpointBytes(bytes, targets)).toThrow(pattern);
      expect(vals(target.layers[0]!.weight)).toEqual(before);
    };
    check({ model: target }, /pass optState/);
    const otherRule = setupFake(target);
    otherRule.layers[1]!.weight.rule = { kind: "Other", adjust: () => ({}) };
    check({ model: target, optState: otherRule }, /saved with Fake\(eta=0.01\).*uses/);
    const fewer = { layers: setupFake(target).layers.slice(0, 1) };
    check({ model: target, optState: fewer }, /saved only: layers\.1/);
    check({ model: target, optState: setupFake(target), rng: { loader: rng(1) } }, /no generator "loader"/);
    const bigger = Chain(Dense(2, 4), Dense(4, 1)) as unknown as ReturnType<typeof net>;
    expect(() => loadCheckpointBytes(bytes, { model: bigger, optState: setupFake(bigger) })).toThrow(
      SafetensorsError,
    );
    await expect(checkpointBytes({ model, step: -1 })).rejects.toThrow(/step/);
  });
});
