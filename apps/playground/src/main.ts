// The playground page: picks a device, loads the Fashion-MNIST subset, and on "Train" trains the MLP
// step by step, redrawing the loss chart after each step and the test predictions every few steps.
import { fleaves } from "@flux/functors";
import { isTensor, rng } from "@flux/kernels";
import type { Chain } from "@flux/layers";
import { loadFashionMnist } from "./data.js";
import { chooseDevice } from "./device.js";
import { renderDeviceInfo } from "./deviceInfo.js";
import { drawLossChart, smooth } from "./lossChart.js";
import { buildMlp } from "./model.js";
import { type PlaygroundOptions, parseOptions } from "./options.js";
import { createPredictionGrid, renderPredictions } from "./predictionGrid.js";
import { type PlaygroundState, publishState } from "./state.js";
import { evaluate, trainSteps } from "./train.js";

const GRID_IMAGES = 24;

function element<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`[@flux-apps/playground] index.html has no #${id}; rebuild the page.`);
  return el as T;
}

// Lets the browser paint and handle clicks between steps (CPU steps never yield on their own).
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setText(id: string, text: string): void {
  element(id).textContent = text;
}

function fail(state: PlaygroundState, e: unknown): void {
  state.phase = "error";
  state.error = (e as Error)?.message ?? String(e);
  const box = element("error");
  box.textContent = state.error;
  box.hidden = false;
  console.error(e);
}

async function main(): Promise<void> {
  const state = publishState();
  let opts: PlaygroundOptions;
  try {
    opts = parseOptions(location.search);
  } catch (e) {
    fail(state, e);
    return;
  }
  const button = element<HTMLButtonElement>("train");
  const chart = element<HTMLCanvasElement>("chart");
  setText(
    "settings",
    `${opts.steps} steps · batch ${opts.batchsize} · Dense(784 ⇒ ${opts.hidden}, relu) ⇒ Dense(${opts.hidden} ⇒ 10) · Adam(${opts.lr})`,
  );
  drawLossChart(chart, [], opts.steps);

  setText("status", "choosing a device…");
  const chosen = await chooseDevice(opts.device);
  state.device = {
    kind: chosen.kind,
    name: chosen.name,
    label: chosen.label,
    adapter: chosen.adapter,
    reason: chosen.reason,
    skipped: [...chosen.skipped],
  };
  renderDeviceInfo(element("device"), element("device-note"), chosen);

  setText("status", "loading Fashion-MNIST…");
  const { train, test } = await loadFashionMnist("data");
  state.data = { train: train.n, test: test.n };
  const grid = createPredictionGrid(element("grid"), test.pixels, test.labels, GRID_IMAGES);
  setText("data", `${train.n.toLocaleString("en-US")} training and ${test.n} test images`);

  let running = false;
  let stopRequested = false;
  let model: Chain | null = null;

  async function showPredictions(m: Chain): Promise<void> {
    const { accuracy, predicted } = await evaluate(m, chosen.device, test);
    state.accuracy = accuracy;
    renderPredictions(grid, predicted, test.labels);
    setText("accuracy", `${(100 * accuracy).toFixed(1)}%`);
  }

  async function run(): Promise<void> {
    running = true;
    stopRequested = false;
    button.textContent = "Stop";
    state.phase = "training";
    state.losses = [];
    state.accuracy = null;
    state.samplesPerSec = null;
    if (model) for (const t of fleaves(model)) if (isTensor(t) && !t.isDisposed) t.dispose();
    model = await chosen.device(buildMlp(opts.hidden, opts.seed));
    let samples = 0;
    let ms = 0;
    for await (const s of trainSteps({
      model,
      device: chosen.device,
      data: train,
      steps: opts.steps,
      batchsize: opts.batchsize,
      lr: opts.lr,
      rng: rng(opts.seed),
    })) {
      state.losses.push(s.loss);
      samples += s.n;
      ms += s.ms;
      state.samplesPerSec = (1000 * samples) / ms;
      drawLossChart(chart, state.losses, opts.steps);
      setText("step", `${s.step} / ${opts.steps}`);
      setText("loss", smooth(state.losses).at(-1)!.toFixed(3));
      setText("speed", `${Math.round(state.samplesPerSec).toLocaleString("en-US")} samples/s`);
      if (s.step % opts.evalEvery === 0 || s.step === opts.steps) await showPredictions(model);
      setText("status", `training on ${chosen.name}…`);
      await nextFrame();
      if (stopRequested) break;
    }
    if (state.losses.length % opts.evalEvery !== 0) await showPredictions(model);
    running = false;
    button.textContent = "Train again";
    state.phase = "done";
    setText("status", stopRequested ? `stopped after ${state.losses.length} steps` : "done");
  }

  button.addEventListener("click", () => {
    if (running) {
      stopRequested = true;
      return;
    }
    run().catch((e) => fail(state, e));
  });
  button.disabled = false;
  state.phase = "ready";
  setText("status", "ready: press Train");
  if (opts.autostart) await run();
}

main().catch((e) => fail(window.__playground ?? publishState(), e));
