// The demo: trains a Fashion-MNIST classifier with the BUILT @flux/* packages on the best device, then
// writes charts, a confusion matrix and the model file, reloads the model and shows a few predictions.
// Run it with `npm run demo` (builds first), or `node|bun apps/demo/src/main.mjs`, `deno run -A ...`.
import { mkdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { DataLoader } from "@flux/data";
import { rng, writeFileAtomic } from "@flux/kernels";
import { DemoArgumentError, HELP, parseArgs } from "./args.mjs";
import { augmentedImages } from "./augmentation.mjs";
import { trainingChartSvg } from "./chart.mjs";
import { confusionMatrix, confusionSvg, confusionText } from "./confusion.mjs";
import { pickDevice } from "./device.mjs";
import { failureText } from "./failure.mjs";
import { CLASSES, loadFashionMnist } from "./fashionMnist.mjs";
import { buildModel } from "./model.mjs";
import { saveAndReload } from "./modelFile.mjs";
import { makeAdam } from "./optimiser.mjs";
import { svgToPng } from "./png.mjs";
import { epochProgress, formatDuration, plural } from "./progress.mjs";
import { demoSchedule } from "./schedule.mjs";
import { evaluate, trainEpoch } from "./train.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const say = (/** @type {string} */ line = "") => process.stdout.write(`${line}\n`);
const shown = (/** @type {string} */ p) => relative(process.cwd(), p) || ".";

function runtime() {
  // Deno is a global only on Deno; typed here so the check needs no Deno type package.
  const deno = /** @type {{ Deno?: { version: { deno: string } } }} */ (globalThis).Deno;
  if (deno !== undefined) return `deno ${deno.version.deno}`;
  if (process.versions.bun) return `bun ${process.versions.bun}`;
  return `node ${process.versions.node}`;
}

/** @param {readonly string[]} argv */
async function main(argv) {
  const opts = parseArgs(argv);
  if (opts.help) {
    say(HELP);
    return;
  }
  const started = performance.now();
  const dataDir = resolve(opts.data ?? join(here, "../data"));
  const outDir = resolve(opts.out ?? join(here, "../out"));
  say(`Fashion-MNIST with @flux on ${runtime()}`);

  const device = await pickDevice(opts.device);
  say(`device:  ${device.name}${device.reason ? ` (${device.reason})` : ""}`);
  say(`adapter: ${device.adapter}`);

  const { train, test } = await loadFashionMnist(dataDir);
  say(
    `data:    ${train.n.toLocaleString("en-US")} train, ${test.n.toLocaleString("en-US")} test images from ${shown(dataDir)}`,
  );

  const built = buildModel(opts.model, opts.seed);
  const model = await device.move(built.model);
  say(`model:   ${built.describe(model).split("\n").join("\n         ")}`);
  const opt = makeAdam(model, opts.lr);

  // Two independent streams from the seed: the shuffle order and the augmentation's random choices.
  const shuffleRng = rng(opts.seed);
  const augmentRng = shuffleRng.split();
  const images = augmentedImages(train.x, opts.augment, augmentRng);
  const loader = DataLoader([images.data, train.labels], {
    batchsize: opts.batchsize,
    shuffle: true,
    rng: shuffleRng,
  });
  const batches = loader.length;
  const schedule = demoSchedule(opts.schedule, opts.lr, opts.epochs, batches);
  say(`optimiser: ${opt.name}, batch size ${opts.batchsize}, ${plural(opts.epochs, "epoch")}`);
  say(`schedule:  ${opts.schedule}: ${schedule}`);
  say(`augment:   ${images.description}`);
  say();

  /** @type {{ epoch: number, loss: number, accuracy: number, samplesPerSec: number, seconds: number }[]} */
  const history = [];
  const tty = Boolean(process.stdout.isTTY);
  let lastEval;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const progress = epochProgress({
      epoch,
      epochs: opts.epochs,
      batches,
      tty,
      write: (/** @type {string} */ s) => process.stdout.write(s),
    });
    await trainEpoch({
      model,
      forward: built.forward,
      opt,
      loader,
      schedule,
      firstStep: (epoch - 1) * batches,
      device,
      onBatch: (/** @type {number} */ i, /** @type {number} */ loss, /** @type {number} */ n) =>
        progress.update(i, loss, n),
    });
    const { loss, samplesPerSec, seconds } = progress.done();
    lastEval = await evaluate({ model, forward: built.forward, data: test, device });
    history.push({ epoch, loss, accuracy: lastEval.accuracy, samplesPerSec, seconds });
    say(
      `epoch ${epoch}/${opts.epochs}: test accuracy ${lastEval.accuracy.toFixed(4)}  ` +
        `(train loss ${loss.toFixed(4)}, ${Math.round(samplesPerSec).toLocaleString("en-US")} samples/s, ${seconds.toFixed(1)} s)`,
    );
  }
  // parseArgs accepts only --epochs >= 1, so there is always a last evaluation.
  if (lastEval === undefined) throw new Error("[demo] no epoch ran; pass --epochs 1 or more.");
  say();

  mkdirSync(outDir, { recursive: true });
  /** @type {string[]} */
  const written = [];
  // Atomic writes: a run killed part way leaves the previous file or the new one, never half of one.
  const writeOut = async (/** @type {string} */ name, /** @type {string} */ text) => {
    const path = join(outDir, name);
    await writeFileAtomic(path, text);
    written.push(path);
    return path;
  };
  const chart = await writeOut("training.svg", trainingChartSvg(history));
  const matrix = confusionMatrix(test.labels, lastEval.predicted, CLASSES.length);
  const confusion = await writeOut("confusion.svg", confusionSvg(matrix, CLASSES));
  await writeOut("confusion.txt", `${confusionText(matrix, CLASSES)}\n`);
  await writeOut("history.json", `${JSON.stringify(history, null, 2)}\n`);
  for (const svg of [chart, confusion]) {
    const png = svg.replace(/\.svg$/, ".png");
    if (svgToPng(svg, png)) written.push(png);
  }
  say("confusion matrix (test set; rows: true class, columns: predicted):");
  say(confusionText(matrix, CLASSES));
  say();

  {
    const file = join(outDir, `model-${opts.model}.safetensors`);
    const fresh = await device.move(buildModel(opts.model, opts.seed + 1000).model);
    const reloaded = await saveAndReload(model, fresh, file);
    written.push(file);
    const again = await evaluate({ model: reloaded, forward: built.forward, data: test, device });
    say(
      `saved ${shown(file)} (${(statSync(file).size / 1024).toFixed(0)} KiB); reloaded into a fresh model: ` +
        `test accuracy ${again.accuracy.toFixed(4)} (${again.accuracy === lastEval.accuracy ? "same as trained" : "DIFFERENT from trained"})`,
    );
    say("a few test images, reloaded model's prediction vs label:");
    for (let i = 0; i < 8; i++) {
      const p = again.predicted[i];
      const l = test.labels[i];
      say(
        `  #${i}: predicted ${CLASSES[p].padEnd(12)} label ${CLASSES[l].padEnd(12)} ${p === l ? "ok" : "WRONG"}`,
      );
    }
    if (again.accuracy !== lastEval.accuracy)
      throw new Error("[demo] the reloaded model predicts differently.");
  }
  say();
  say(`wrote ${written.map(shown).join(", ")}`);
  const best = Math.max(...history.map((h) => h.accuracy));
  const rate = history.reduce((a, h) => a + h.samplesPerSec, 0) / history.length;
  say(
    `done in ${formatDuration((performance.now() - started) / 1000)}: final test accuracy ${lastEval.accuracy.toFixed(4)} ` +
      `(best ${best.toFixed(4)}), ${Math.round(rate).toLocaleString("en-US")} samples/s on ${device.name}`,
  );
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof DemoArgumentError) {
    process.stderr.write(`${e.message}\n\n${HELP}`);
    process.exit(2);
  }
  process.stderr.write(failureText(e));
  process.exit(1);
}
