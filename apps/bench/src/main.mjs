#!/usr/bin/env node
// The bench's entry: `node apps/bench/src/main.mjs [flags]` (what `npm run bench` runs after building).
// Runs our kernels and the peers in ONE process (numpy in a python3 child), prints the markdown table with
// ratio columns and the issue's targets, and writes apps/bench/results/latest.{json,md}.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runAllreduceGroup } from "./allreduce/run.mjs";
import { prepareBaseline } from "./baseline.mjs";
import { parseCli, USAGE } from "./cli.mjs";
import { runDataGroup } from "./dataEpoch.mjs";
import { BenchError } from "./errors.mjs";
import { machineInfo } from "./machine.mjs";
import { renderModelTable, runModelTable } from "./models.mjs";
import { cpuKernelDescription, loadFluxLib, runFlux } from "./peers/flux.mjs";
import { renderWebgpuTargets, runFluxWebgpu } from "./peers/fluxWebgpu.mjs";
import { runNumpy } from "./peers/numpy.mjs";
import { runTfjs, tfjsVersion } from "./peers/tfjs.mjs";
import { renderMarkdown } from "./report.mjs";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const defaultOut = fileURLToPath(new URL("../results", import.meta.url));

/** Progress goes to stderr so that stdout is the table alone. */
const log = (/** @type {string} */ msg) => process.stderr.write(`[bench] ${msg}\n`);

/**
 * Loads the built @flux/kernels, layers, optim and functors the way a user's program does (Node ignores the
 * @flux/source condition).
 */
async function loadOurs() {
  try {
    return await loadFluxLib((n) => import(`@flux/${n}`));
  } catch (e) {
    throw new BenchError(
      "PEER_FAILED",
      `could not load the built @flux/kernels (${/** @type {Error} */ (e).message}); build it first: npx turbo run build --filter=@flux/kernels`,
      { cause: e },
    );
  }
}

/**
 * Runs one system, turning a failure to start into a recorded error instead of ending the whole run.
 *
 * @param {string} label
 * @param {() => Promise<import("./peers/types.mjs").SystemRun>} start
 * @returns {Promise<import("./report.mjs").SystemEntry>}
 */
async function runSystem(label, start) {
  const t0 = performance.now();
  try {
    const r = await start();
    log(`${label}: done in ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
    return { label, ...r };
  } catch (e) {
    log(`${label}: FAILED: ${/** @type {Error} */ (e).message}`);
    return { label, info: { error: String(/** @type {Error} */ (e).message) }, results: {} };
  }
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const started = new Date();
  const machine = machineInfo(repoRoot);
  const out = opts.out ?? defaultOut;
  /** Prints the report and writes latest.md / latest.json. @param {object} json @param {string} markdown */
  const save = (json, markdown) => {
    process.stdout.write(`\n${markdown}`);
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "latest.json"), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(out, "latest.md"), markdown);
    log(`wrote ${join(out, "latest.md")} and latest.json`);
  };
  // The data group (--only data) runs first and alone when no kernel cell was asked for.
  const data = opts.data ? await runDataGroup(opts.data, log) : null;
  // The allreduce group (--only allreduce) likewise: its own processes (mpirun, threads), before any cell.
  const allreduce = opts.allreduce ? await runAllreduceGroup(opts.allreduce, log) : null;
  const groups = [data, allreduce].filter((g) => g !== null);
  if (groups.length > 0 && opts.cells.length === 0) {
    const options = { ...opts, cells: [] };
    const names = [data && "data", allreduce && "allreduce"].filter(Boolean).join(", ");
    const head = `## @flux bench (${names}), ${started.toISOString()}\n\n- machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load average at start ${machine.load1}; commit ${machine.commit}\n\n`;
    const body = groups.map((g) => `${g.markdown}\n`).join("\n");
    save(
      { date: started.toISOString(), machine, options, data: data?.result, allreduce: allreduce?.result },
      `${head}${body}`,
    );
    return;
  }
  const measureOpts = { budgetS: opts.budgetS };
  // The model table's cells run interleaved against PyTorch (models.mjs); the rest once per system.
  const modelCells = opts.cells.filter((c) => c.group === "models");
  const cells = opts.cells.filter((c) => c.group !== "models");
  log(
    `${opts.cells.length} cells, ${opts.budgetS} s each per system; peers: ${opts.peers.join(", ") || "none"}`,
  );

  const ours = await loadOurs();
  const baseline = opts.baseline
    ? await prepareBaseline(repoRoot, opts.baseline, { keep: opts.keepBaseline, log })
    : null;
  /** @type {Record<string, import("./report.mjs").SystemEntry>} */
  const systems = {};
  /** @type {import("./models.mjs").ModelRun | null} */
  let models = null;
  const oursKernel = await cpuKernelDescription(ours.K);
  try {
    /** @type {import("./peers/flux.mjs").FluxLib | null} */
    let baseLib = null;
    if (baseline) {
      baseLib = await loadFluxLib((n) => import(pathToFileURL(baseline.entries[n]).href));
    }
    if (cells.length > 0) {
      systems["flux-cpu"] = await runSystem("flux", () => runFlux(ours, "cpu", cells, measureOpts, log));
      if (baseLib) {
        const lib = baseLib;
        const label = `baseline ${opts.baseline}`;
        systems["baseline-cpu"] = await runSystem(label, () => runFlux(lib, "cpu", cells, measureOpts, log));
      }
      if (opts.webgpu) {
        systems["flux-webgpu"] = await runSystem("flux webgpu", () =>
          runFluxWebgpu(ours, cells, measureOpts, log),
        );
        if (baseLib) {
          const lib = baseLib;
          const label = `baseline ${opts.baseline} webgpu`;
          systems["baseline-webgpu"] = await runSystem(label, () =>
            runFluxWebgpu(lib, cells, measureOpts, log),
          );
        }
      }
      for (const peer of opts.peers.filter((p) => p !== "torch")) {
        systems[peer] =
          peer === "numpy"
            ? await runSystem(peer, () => runNumpy(cells, measureOpts))
            : await runSystem(peer, () => runTfjs(/** @type {any} */ (peer), cells, measureOpts, log));
      }
    }
    if (modelCells.length > 0) {
      const t0 = performance.now();
      models = await runModelTable({
        cells: modelCells,
        ours,
        oursKernel,
        baseline: baseLib ? { lib: baseLib, label: `baseline ${opts.baseline}` } : null,
        torch: opts.peers.includes("torch"),
        rounds: opts.rounds,
        options: measureOpts,
        log,
      });
      log(`models: done in ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
    }
  } finally {
    baseline?.cleanup();
  }

  const flux = systems["flux-cpu"] ?? {
    label: "flux",
    info: { version: ours.K.VERSION, cpuKernel: oursKernel },
    results: {},
  };
  const numpy = systems.numpy?.info;
  const wasm = systems["tfjs-wasm"]?.info;
  const header = [
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, ${machine.platform}, Node ${machine.node}; load average at start ${machine.load1}`,
    `@flux/kernels ${flux.info.version ?? "?"} at ${machine.commit}; CPU kernel: ${flux.info.cpuKernel || "unknown (cpuKernelInfo not exported)"}`,
    `peers: tfjs ${tfjsVersion()}${wasm?.detail ? ` (wasm: ${wasm.detail})` : ""}` +
      (numpy && !numpy.error ? `; numpy ${numpy.numpy} (${numpy.blas}), python ${numpy.python}` : ""),
    `${opts.budgetS} s of samples per cell after warm-up; medians; training steps on our side: the public API as the README writes it (Chain/Dense/Conv, withgradient, logitcrossentropy, @flux/optim's Adam through setup + updateInPlace; train() in the notes); elementwise on our side: the fused muladd(a, x, b, { activation: "relu" }) in one row, the op chain relu(add(mul(x, a), b)) in the next`,
  ];
  if (baseline)
    header.push(`baseline: ${opts.baseline} = ${baseline.sha.slice(0, 10)} (built in ${baseline.dir})`);
  if (systems["flux-webgpu"]?.info.adapter || systems["tfjs-webgpu"]?.info.detail) {
    header.push(
      `webgpu adapter: ${systems["tfjs-webgpu"]?.info.detail ?? systems["flux-webgpu"].info.adapter}`,
    );
  }
  /** @type {import("./report.mjs").TableSpec[]} */
  const tables = [];
  if (cells.length > 0)
    tables.push({
      title: "CPU",
      subject: "flux-cpu",
      others: ["tfjs-cpu", "tfjs-wasm", "numpy", "baseline-cpu"],
      targets: true,
    });
  if (opts.webgpu)
    tables.push({
      title: "WebGPU",
      subject: "flux-webgpu",
      others: ["tfjs-webgpu", "baseline-webgpu"],
      targets: false,
    });
  else if (systems["tfjs-webgpu"] && tables[0]) tables[0].others.splice(2, 0, "tfjs-webgpu");
  /** @type {import("./report.mjs").BenchRun} */
  const run = {
    date: started.toISOString(),
    header,
    cells,
    systems,
    tables,
    targetContext: { kernelKind: String(flux.info.cpuKernel ?? "") },
  };
  const webgpuTargets = opts.webgpu ? renderWebgpuTargets(run, "flux-webgpu") : "";
  if (models) {
    const torch = models.systems.find((s) => s.id === "torch")?.info;
    if (torch)
      header.push(
        `models table: PyTorch ${torch.torch} (eager, CPU; python ${torch.python}; mkldnn ${torch.mkldnn}, mkl ${torch.mkl})`,
      );
  }
  const markdown =
    renderMarkdown(run) +
    (models ? `\n${renderModelTable(models)}` : "") +
    (webgpuTargets ? `\n${webgpuTargets}` : "") +
    (data ? `\n${data.markdown}\n` : "") +
    (allreduce ? `\n${allreduce.markdown}\n` : "");
  const json = {
    ...run,
    machine,
    options: { ...opts, cells: cells.map((c) => c.id) },
    baseline: baseline && { ref: baseline.ref, sha: baseline.sha },
    data: data?.result,
    allreduce: allreduce?.result,
    models,
  };
  save(json, markdown);
}

main().then(
  // Explicit exit: tfjs, Dawn and our worker threads may keep the event loop alive after the last cell.
  () => process.exit(0),
  (e) => {
    console.error(e instanceof BenchError ? e.message : e);
    process.exit(e instanceof BenchError && e.code === "BAD_FLAG" ? 2 : 1);
  },
);
