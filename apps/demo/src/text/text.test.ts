// The text job's pieces on a small corpus: tokenising round-trips, batches are shifted windows, and a
// few training steps of each model lower the loss on the CPU and on WebGPU (SwiftShader in CI).
import { cpuDevice, gpuDevice } from "@flux/devices";
import { rng, setDefaultRng } from "@flux/kernels";
import { describe, expect, test } from "vitest";
import { webgpuAvailableForTests } from "../../../../packages/kernels/src/webgpu/testing.js";
import { evaluationBatchCount, evaluationBatches, sampleBatch } from "./batches.mjs";
import { decode, encode } from "./corpus.mjs";
import { generate } from "./generate.mjs";
import { CharLSTM, CharTransformer } from "./models.mjs";
import { learningRateAt, trainText, validationLoss } from "./train.mjs";

const TEXT = "to be, or not to be, that is the question: whether 'tis nobler in the mind to suffer\n".repeat(
  20,
);
const chars = [...new Set(TEXT)].sort();
const index = new Map(chars.map((c, i) => [c, i]));
const tokens = encode(TEXT, index);
const classes = chars.map((_, i) => i);
const CONTEXT = 16;

const models = {
  transformer: () =>
    CharTransformer({ vocab: chars.length, context: CONTEXT, width: 32, depth: 1, nheads: 2 }),
  lstm: () => CharLSTM({ vocab: chars.length, width: 16, hidden: 32 }),
};

/** Trains `steps` steps; returns the validation loss before and after. */
async function lossBeforeAfter(
  kind: keyof typeof models,
  device: { move: <T>(x: T) => Promise<T> },
  steps: number,
) {
  setDefaultRng(rng(3));
  const model = await device.move(models[kind]());
  const val = evaluationBatches(tokens, CONTEXT, 8, 2);
  const before = await validationLoss(model, val, CONTEXT, classes, device as never);
  await trainText({
    model,
    tokens,
    context: CONTEXT,
    batchsize: 8,
    classes,
    device: device as never,
    rng: rng(4),
    lr: 0.01,
    warmup: 5,
    maxSteps: steps,
    seconds: 0,
    evalEvery: 1000,
    onStep: () => {},
    onEval: async () => undefined,
  });
  const after = await validationLoss(model, val, CONTEXT, classes, device as never);
  return { model, before, after };
}

describe("text job", () => {
  test("tokens round-trip and batches are windows shifted by one", () => {
    expect(decode(encode("to be", index), chars)).toBe("to be");
    const { x, y } = sampleBatch(tokens, CONTEXT, 4, rng(1));
    for (let b = 0; b < 4; b++)
      expect([...x.subarray(b * CONTEXT + 1, (b + 1) * CONTEXT)]).toEqual([
        ...y.subarray(b * CONTEXT, (b + 1) * CONTEXT - 1),
      ]);
    expect(() => encode("ß", index)).toThrow(/not in the alphabet/);
  });

  test("evaluation windows all lie inside the text; asking for more than fit is an error", () => {
    const count = evaluationBatchCount(tokens, CONTEXT, 8);
    const batches = evaluationBatches(tokens, CONTEXT, 8, count);
    const last = batches[count - 1]!;
    // The last window's target ends at or before the text's last character, and is the text itself.
    const stride = Math.max(CONTEXT + 1, Math.floor((tokens.length - CONTEXT - 1) / (count * 8)));
    const s = (count * 8 - 1) * stride;
    expect(s + CONTEXT + 1).toBeLessThanOrEqual(tokens.length);
    expect([...last.y.subarray(7 * CONTEXT)]).toEqual([...tokens.subarray(s + 1, s + CONTEXT + 1)]);
    expect(() => evaluationBatches(tokens, CONTEXT, 8, count + 1)).toThrow(/Ask for at most/);
  });

  test("the schedule warms up linearly, peaks, then decays to a tenth", () => {
    expect(learningRateAt(5, 100, 1, 10)).toBeCloseTo(0.5);
    expect(learningRateAt(10, 100, 1, 10)).toBeCloseTo(1);
    expect(learningRateAt(100, 100, 1, 10)).toBeCloseTo(0.1);
  });

  const cpu = cpuDevice();
  const onCpu = { move: <T>(x: T) => cpu(x) as Promise<T> };
  for (const kind of ["transformer", "lstm"] as const) {
    test(`${kind}: 40 CPU steps lower the validation loss and it generates known characters`, async () => {
      const { model, before, after } = await lossBeforeAfter(kind, onCpu, 40);
      expect(after).toBeLessThan(before * 0.8);
      const out = await generate(model as never, encode("to ", index), {
        length: 20,
        context: CONTEXT,
        temperature: 0.8,
        rng: rng(5),
      });
      expect(out.length).toBe(20);
      expect([...out].every((i) => i >= 0 && i < chars.length)).toBe(true);
    });
  }
});

const webgpu = await webgpuAvailableForTests();
describe.skipIf(!webgpu)("text job on webgpu", () => {
  for (const kind of ["transformer", "lstm"] as const) {
    test(`${kind}: a few WebGPU steps lower the loss`, async () => {
      const dev = await gpuDevice(undefined, { force: true });
      const { before, after } = await lossBeforeAfter(kind, { move: <T>(x: T) => dev(x) as Promise<T> }, 12);
      expect(after).toBeLessThan(before);
    });
  }
});
