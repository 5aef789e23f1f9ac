// Damaged or hand-edited checkpoints: every field of the header is checked before the first write, so a bad
// file throws CheckpointError naming the field and leaves the model, the optimiser state and the
// generators exactly as they were.
import { rng, setDefaultRng, type Tensor, tensor } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { Chain, CheckpointError, checkpointBytes, Dense, loadCheckpointBytes } from "../index.js";
import { headerOf, withHeader } from "./safetensors.testing.js";

const vals = (t: Tensor) => Array.from(t.dataSync());

// A stand-in for @flux/optim's rule: like Adam, it refuses a negative learning rate.
class StrictRule {
  readonly kind = "Strict";
  constructor(readonly eta: number) {
    if (!(eta >= 0)) throw new RangeError(`Strict: eta must be >= 0, got ${eta}.`);
  }
  adjust(changes: Readonly<Record<string, unknown>>): StrictRule {
    return new StrictRule((changes.eta as number | undefined) ?? this.eta);
  }
}
class FakeLeaf {
  constructor(
    public rule: StrictRule,
    public state: unknown,
    public frozen = false,
  ) {}
}
Object.defineProperty(FakeLeaf.prototype, Symbol.for("flux.optim.leaf"), { value: true });
Object.defineProperty(FakeLeaf.prototype, Symbol.for("flux.functor"), { value: Object.freeze(["state"]) });

type Net = { layers: { weight: Tensor; bias: Tensor }[] };
const net = (seed: number): Net => {
  setDefaultRng(rng(seed));
  return Chain(Dense(2, 3), Dense(3, 1)) as unknown as Net;
};
const setupFake = (m: Net, eta = 0.01) => ({
  layers: m.layers.map((l) => ({
    weight: new FakeLeaf(new StrictRule(eta), {
      mt: tensor(new Float32Array(l.weight.size), [...l.weight.shape]),
      n: 0,
    }),
    bias: new FakeLeaf(new StrictRule(eta), {
      mt: tensor(new Float32Array(l.bias.size), [...l.bias.shape]),
      n: 0,
    }),
  })),
});

// The bytes with `edit` applied to the header's __metadata__ (the data section is kept as it is).
function tamper(bytes: Uint8Array, edit: (meta: Record<string, unknown>) => void): Uint8Array {
  const header = headerOf(bytes);
  edit(header.__metadata__);
  return withHeader(bytes, header);
}
const editLeaves = (f: (leaf: Record<string, unknown>) => void) => (meta: Record<string, unknown>) => {
  const leaves = JSON.parse(meta["flux.checkpoint.optimiser"] as string) as Record<
    string,
    Record<string, unknown>
  >;
  for (const leaf of Object.values(leaves)) f(leaf);
  meta["flux.checkpoint.optimiser"] = JSON.stringify(leaves);
};

describe("a tampered checkpoint throws CheckpointError and changes nothing", async () => {
  const saved = net(1);
  const savedState = setupFake(saved);
  const bytes = await checkpointBytes({
    model: saved,
    optState: savedState,
    step: 5,
    epoch: 1,
    rng: { a: rng(7) },
  });

  const cases: [string, (meta: Record<string, unknown>) => void, RegExp][] = [
    [
      "a hyper-parameter the rule refuses",
      editLeaves((l) => {
        (l.hyper as Record<string, unknown>).eta = -1;
      }),
      /hyper-parameters its rule refuses.*eta must be >= 0/,
    ],
    [
      "a generator state that is not one",
      (m) => {
        m["flux.checkpoint.rng"] = JSON.stringify({ a: { words: [0, 0, 0, 0], spare: null } });
      },
      /generator "a" is not a generator state/,
    ],
    [
      "a step that is not a number",
      (m) => {
        m["flux.checkpoint.step"] = "abc";
      },
      /"flux\.checkpoint\.step"\] is "abc", not a whole number/,
    ],
    [
      "a fractional negative epoch",
      (m) => {
        m["flux.checkpoint.epoch"] = "-3.5";
      },
      /"flux\.checkpoint\.epoch"\] is "-3\.5"/,
    ],
    [
      "an optimiser entry that is null",
      (m) => {
        m["flux.checkpoint.optimiser"] = "null";
      },
      /is null, not an object of saved Leafs/,
    ],
    [
      "a saved Leaf that is null",
      editLeaves((l) => {
        for (const k of Object.keys(l)) delete l[k];
      }),
      /not \{ rule, kind, hyper, frozen, state \}/,
    ],
    [
      "a frozen flag that is a string",
      editLeaves((l) => {
        l.frozen = "yes";
      }),
      /not \{ rule, kind, hyper, frozen, state \}/,
    ],
    [
      "a plain value where the state has a container",
      editLeaves((l) => {
        l.state = 7;
      }),
      /a container there, a plain value saved/,
    ],
    [
      "a version that is a number",
      (m) => {
        m["flux.checkpoint.version"] = 1;
      },
      /"flux\.checkpoint\.version"\] is 1, not a string/,
    ],
  ];
  for (const [what, edit, pattern] of cases) {
    test(what, () => {
      const model = net(2);
      const optState = setupFake(model, 0.5);
      const r = rng(99);
      const before = { w: vals(model.layers[0]!.weight), b: vals(model.layers[1]!.bias), r: r.getState() };
      const leaf = optState.layers[0]!.weight;
      const [rule, state] = [leaf.rule, leaf.state];
      const bad = tamper(bytes, edit);
      expect(() => loadCheckpointBytes(bad, { model, optState, rng: { a: r } })).toThrow(CheckpointError);
      expect(() => loadCheckpointBytes(bad, { model, optState, rng: { a: r } })).toThrow(pattern);
      expect(vals(model.layers[0]!.weight)).toEqual(before.w);
      expect(vals(model.layers[1]!.bias)).toEqual(before.b);
      expect([leaf.rule, leaf.state, leaf.frozen]).toEqual([rule, state, false]);
      expect(r.getState()).toEqual(before.r);
    });
  }

  test("the untouched bytes still load", () => {
    const model = net(2);
    const ck = loadCheckpointBytes(bytes, { model, optState: setupFake(model, 0.5), rng: { a: rng(99) } });
    expect([ck.step, ck.epoch]).toEqual([5, 1]);
    expect(vals(model.layers[0]!.weight)).toEqual(vals(saved.layers[0]!.weight));
  });
});
