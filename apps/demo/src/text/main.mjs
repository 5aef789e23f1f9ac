// The text job: trains a character-level language model on Tiny Shakespeare with the BUILT @flux/*
// packages on the best device, reports validation cross-entropy per character, prints generated text,
// then saves the model, reloads it into a fresh one and checks that it scores the same.
// Run it with `npm run demo:text` (builds first), or `node apps/demo/src/text/main.mjs --help`.
import { mkdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fleaves } from "@flux/functors";
import { isTensor, rng, setDefaultRng, writeFileAtomic } from "@flux/kernels";
import { load, save } from "@flux/layers";
import { pickDevice } from "../device.mjs";
import { evaluationBatchCount, evaluationBatches } from "./batches.mjs";
import { decode, loadCorpus, promptTokens } from "./corpus.mjs";
import { generate } from "./generate.mjs";
import { CONFIGS, buildTextModel } from "./models.mjs";
import { trainText, validationLoss } from "./train.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const say = (/** @type {string} */ line = "") => process.stdout.write(`${line}\n`);

export const HELP = `Usage: npm run demo:text -- [options]

Trains a character-level language model on Tiny Shakespeare and prints generated text.

  --model transformer|lstm   which model (default transformer)
  --minutes N                training time budget (default 10)
  --steps N                  at most N steps (default 100000: the time budget decides)
  --batchsize N              windows per step (default 32)
  --lr X                     peak learning rate (default 0.003 transformer, 0.004 lstm)
  --device cpu|gpu|webgpu    where to train (default gpu: the best available, else the CPU)
  --seed N                   random seed (default 1)
  --data FILE                the text (default apps/demo/data/tinyshakespeare/input.txt)
  --out DIR                  where the model is written (default apps/demo/out)
  --sample N                 characters to generate (default 400)
  -h, --help                 this text`;

/** @param {string[]} argv */
function options(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      model: { type: "string", default: "transformer" },
      minutes: { type: "string", default: "10" },
      steps: { type: "string", default: "100000" },
      batchsize: { type: "string", default: "32" },
      lr: { type: "string" },
      device: { type: "string", default: "gpu" },
      seed: { type: "string", default: "1" },
      data: { type: "string" },
      out: { type: "string" },
      sample: { type: "string", default: "400" },
      help: { type: "boolean", short: "h", default: false },
      task: { type: "string" },
    },
  });
  const num = (/** @type {string} */ name, /** @type {string} */ v, /** @type {boolean} */ integer) => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < 0 || (integer && !Number.isInteger(x)))
      throw new Error(
        `[demo] --${name} must be a ${integer ? "non-negative integer" : "non-negative number"}, got ${v}.`,
      );
    return x;
  };
  const model = values.model;
  if (model !== "transformer" && model !== "lstm")
    throw new Error(`[demo] --model must be transformer or lstm, got ${model}.`);
  if (!["cpu", "gpu", "webgpu"].includes(values.device))
    throw new Error(`[demo] --device must be cpu, gpu or webgpu, got ${values.device}.`);
  return {
    help: values.help,
    model: /** @type {"transformer" | "lstm"} */ (model),
    seconds: num("minutes", values.minutes, false) * 60,
    steps: num("steps", values.steps, true),
    batchsize: Math.max(1, num("batchsize", values.batchsize, true)),
    lr: values.lr === undefined ? (model === "lstm" ? 0.004 : 0.003) : num("lr", values.lr, false),
    device: values.device,
    seed: num("seed", values.seed, true),
    data: resolve(values.data ?? join(here, "../../data/tinyshakespeare/input.txt")),
    out: resolve(values.out ?? join(here, "../../out")),
    sample: num("sample", values.sample, true),
  };
}

/** The start of the sample printed after training. */
const PROMPT = "ROMEO:\n";

/** @param {string[]} argv */
async function main(argv) {
  const o = options(argv);
  if (o.help) return say(HELP);
  setDefaultRng(rng(o.seed));
  const corpus = loadCorpus(o.data);
  // The sample at the end starts from this prompt: check now that the text has its characters, not after
  // minutes of training.
  const prompt = promptTokens(PROMPT, corpus);
  const classes = corpus.chars.map((_, i) => i);
  const context = CONFIGS[o.model].context;
  say(`Tiny Shakespeare with @flux: a character-level ${o.model}`);
  const device = await pickDevice(o.device);
  say(`device:  ${device.name}${device.reason ? ` (${device.reason})` : ""}`);
  say(`adapter: ${device.adapter}`);
  say(
    `data:    ${corpus.train.length.toLocaleString("en-US")} training and ${corpus.val.length.toLocaleString("en-US")} validation characters, ${corpus.chars.length} distinct (${relative(process.cwd(), o.data)})`,
  );
  const model = await device.move(buildTextModel(o.model, corpus.chars.length));
  say(`model:   ${model.showCompact()}`);
  const params = paramCount(model);
  say(`         ${params.toLocaleString("en-US")} parameters, context ${context}, batch ${o.batchsize}`);

  // Progress checks use the first 8 validation batches; the final score uses the whole validation text.
  const allVal = evaluationBatches(
    corpus.val,
    context,
    o.batchsize,
    evaluationBatchCount(corpus.val, context, o.batchsize),
  );
  const quickVal = allVal.slice(0, 8);
  const started = performance.now();
  let lastLine = "";
  const steps = await trainText({
    model,
    tokens: corpus.train,
    context,
    batchsize: o.batchsize,
    classes,
    device,
    rng: rng(o.seed + 1),
    lr: o.lr,
    warmup: 100,
    maxSteps: o.steps,
    seconds: o.seconds,
    evalEvery: 250,
    onStep: (step, loss, lr, total) => {
      const secs = (performance.now() - started) / 1000;
      lastLine = `step ${step}/${total}  loss ${loss.toFixed(3)}  lr ${lr.toExponential(2)}  ${secs.toFixed(0)} s`;
      if (process.stdout.isTTY) process.stdout.write(`\r${lastLine}   `);
    },
    onEval: async (step) => {
      const v = await validationLoss(model, quickVal, context, classes, device);
      if (process.stdout.isTTY) process.stdout.write("\r");
      say(`${lastLine}  val ${v.toFixed(3)} (quick) `);
      return step > 0 ? undefined : "stop";
    },
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const val = await validationLoss(model, allVal, context, classes, device);
  say(
    `trained ${steps} step${steps === 1 ? "" : "s"} in ${(trainSeconds / 60).toFixed(1)} min; validation cross-entropy ${val.toFixed(4)} nats per character (${allVal.length * context * o.batchsize} characters)`,
  );

  const sample = await generate(model, prompt, {
    length: o.sample,
    context,
    temperature: 0.8,
    rng: rng(o.seed + 2),
  });
  say("--- sample (temperature 0.8) ---");
  say(`${PROMPT}${decode(sample, corpus.chars)}`);
  say("---");

  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, `shakespeare-${o.model}.safetensors`);
  await save(file, model);
  await writeFileAtomic(
    `${file}.json`,
    `${JSON.stringify({ model: o.model, chars: corpus.chars.join("") }, null, 2)}\n`,
  );
  const fresh = await device.move(buildTextModel(o.model, corpus.chars.length));
  await load(file, fresh);
  const reloaded = await validationLoss(fresh, allVal.slice(0, 2), context, classes, device);
  const original = await validationLoss(model, allVal.slice(0, 2), context, classes, device);
  say(
    `saved ${relative(process.cwd(), file)}; reloaded model scores ${reloaded.toFixed(4)} (trained: ${original.toFixed(4)})`,
  );
  if (Math.abs(reloaded - original) > 1e-4)
    throw new Error("[demo] the reloaded model does not match the trained one.");
}

/** @param {unknown} model */
function paramCount(model) {
  return fleaves(model)
    .filter(isTensor)
    .reduce((n, t) => n + t.size, 0);
}

main(process.argv.slice(2)).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
