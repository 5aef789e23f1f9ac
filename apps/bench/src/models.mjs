// The model table: training steps and inference of the 784-256-10 MLP and the LeNet-style CNN, ours against
// PyTorch eager on the CPU, with 1 and 2 threads, in interleaved rounds (each round measures every system
// once per cell and thread count, in a rotating order, so that a busy minute on a shared machine slows all
// of them alike). Ours runs in this process (and, when it uses a system BLAS, again in a child process with
// FLUX_CPU_BLAS=0: the wasm-GEMM path); PyTorch in a python3 child (peers/torch_bench.py). Ratios are the
// median over rounds of each round's ratio. The CPU performance targets of the training hot path are checked under the table.

import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { median } from "./measure.mjs";
import { measureModelCell } from "./peers/flux.mjs";
import { startLineChild } from "./peers/lineChild.mjs";
import { formatNumber } from "./report.mjs";

const TORCH_SCRIPT = fileURLToPath(new URL("./peers/torch_bench.py", import.meta.url));
const FLUX_CHILD = fileURLToPath(new URL("./peers/fluxChild.mjs", import.meta.url));

/** Thread counts of the table (`setCpuThreads` on ours, `torch.set_num_threads` on PyTorch). */
export const MODEL_THREADS = [1, 2];

/** Rounds by default, and with `--quick`. */
export const MODEL_ROUNDS = { normal: 3, quick: 2 };

/**
 * Pause between two measurements: OpenBLAS's and OpenMP's worker threads spin for a while after a call,
 * which would steal a core from the next system measured.
 */
const SETTLE_MS = 150;

/**
 * @typedef {object} ModelTarget
 * @property {string} text
 * @property {string[]} cells
 * @property {number} threads
 * @property {"torch" | "self-1t" | "blas"} against torch: ours ÷ PyTorch; self-1t: ours at these threads ÷
 *   ours at 1 thread (must be above 1); blas: the wasm-GEMM child ÷ ours with the system BLAS
 * @property {number} min
 */

/** The training cells that the thread and GEMM-path targets compare. */
const TRAIN_CELLS = ["train-mlp-b64", "train-mlp-b128", "train-cnn-b64"];

/** The CPU targets of the training hot path (benchmarks, not tests). */
/** @type {ModelTarget[]} */
export const MODEL_TARGETS = [
  {
    text: "≥1x PyTorch, 1 thread",
    cells: ["train-mlp-b64", "train-mlp-b128"],
    threads: 1,
    against: "torch",
    min: 1,
  },
  { text: "≥0.8x PyTorch, 1 thread", cells: ["train-cnn-b64"], threads: 1, against: "torch", min: 0.8 },
  { text: "≥0.8x PyTorch, 2 threads", cells: TRAIN_CELLS, threads: 2, against: "torch", min: 0.8 },
  { text: "2 threads faster than 1 (ours)", cells: TRAIN_CELLS, threads: 2, against: "self-1t", min: 1 },
  { text: "≥1x PyTorch, 1 thread", cells: ["infer-mlp-b128"], threads: 1, against: "torch", min: 1 },
  { text: "≥0.8x PyTorch, 1 thread", cells: ["infer-cnn-b64"], threads: 1, against: "torch", min: 0.8 },
  {
    text: "≥0.8x PyTorch, 1 thread",
    cells: ["grad-lstm-b32", "grad-transformer-b16"],
    threads: 1,
    against: "torch",
    min: 0.8,
  },
  // The wasm GEMM against the BLAS path: one target, at each thread count.
  ...[1, 2].map((threads) => ({
    text: `wasm GEMM ≥0.7x the BLAS path, ${threads} thread${threads === 1 ? "" : "s"}`,
    cells: TRAIN_CELLS,
    threads,
    against: /** @type {const} */ ("blas"),
    min: 0.7,
  })),
];

/**
 * @typedef {object} ModelSystem
 * @property {string} id flux, flux-wasm, baseline, torch
 * @property {string} label column heading
 * @property {Record<string, unknown>} info
 * @property {(cell: import("./workloads.mjs").Cell, threads: number) => Promise<any>} measure one
 *   measurement (a Measurement, with `profile` and `train` for ours), or `{ error }`
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} ModelRun
 * @property {import("./workloads.mjs").Cell[]} cells
 * @property {number[]} threads
 * @property {number} rounds
 * @property {{ id: string, label: string, info: Record<string, unknown> }[]} systems
 * @property {Record<string, Record<string, Record<number, any[]>>>} results system → cell → threads → one
 *   entry per round (a measurement or `{ error }`)
 * @property {string[]} notes
 */

/**
 * True when `python` can import torch (the PyTorch column runs only then).
 *
 * @param {string} python
 * @returns {{ ok: boolean, why: string }}
 */
export function torchAvailable(python) {
  const r = spawnSync(python, ["-c", "import torch"], { encoding: "utf8", timeout: 60_000 });
  if (r.error) return { ok: false, why: `${python}: ${r.error.message}` };
  if (r.status !== 0) {
    const last = (r.stderr ?? "").trim().split("\n").slice(-1)[0] ?? "";
    return {
      ok: false,
      why: `python3 -c "import torch" failed (${last}); pip install torch (CPU) to add the column`,
    };
  }
  return { ok: true, why: "" };
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A line-child system: requests carry the measure options in the child's spelling.
 *
 * @param {string} id
 * @param {string} label
 * @param {import("./peers/lineChild.mjs").LineChild} child
 * @param {import("./measure.mjs").MeasureOptions} options
 * @param {boolean} python snake_case options (torch_bench.py) or camelCase (fluxChild.mjs)
 * @returns {ModelSystem}
 */
function childSystem(id, label, child, options, python) {
  const budget = options.budgetS;
  const common = {
    minSampleS: options.minSampleS ?? 0.002,
    maxReps: options.maxReps ?? 200,
    slowS: options.slowS ?? Math.max(2 * budget, 3),
  };
  return {
    id,
    label,
    info: child.info,
    async measure(cell, threads) {
      const req = python
        ? {
            cell,
            threads,
            budget_s: budget,
            min_sample_s: common.minSampleS,
            max_reps: common.maxReps,
            slow_s: common.slowS,
          }
        : { cell, threads, budgetS: budget, ...common };
      const r = await child.request(req);
      if (r.error) return { error: String(r.error) };
      const m = r.result;
      return python
        ? {
            medianS: m.median_s,
            reps: m.reps,
            inner: m.inner,
            minS: m.min_s,
            maxS: m.max_s,
            cpuMedianS: m.cpu_median_s,
            note: m.note,
          }
        : m;
    },
    close: () => child.close(),
  };
}

/**
 * Runs the model table: every cell × thread count × system, `rounds` times, interleaved.
 *
 * @param {object} args
 * @param {import("./workloads.mjs").Cell[]} args.cells model-train / model-infer cells
 * @param {import("./peers/flux.mjs").FluxLib} args.ours
 * @param {string} args.oursKernel our CPU kernel description (a system BLAS adds the wasm-GEMM child)
 * @param {{ lib: import("./peers/flux.mjs").FluxLib, label: string } | null} args.baseline
 * @param {boolean} args.torch whether to run the PyTorch column (when torch imports)
 * @param {number} args.rounds
 * @param {import("./measure.mjs").MeasureOptions} args.options
 * @param {(msg: string) => void} args.log
 * @returns {Promise<ModelRun>}
 */
export async function runModelTable({ cells, ours, oursKernel, baseline, torch, rounds, options, log }) {
  const notes = [];
  /** @type {ModelSystem[]} */
  const systems = [
    {
      id: "flux",
      label: "flux",
      info: { cpuKernel: oursKernel },
      measure: (cell, threads) =>
        measureModelCell(ours, cell, threads, { ...options, viaTrain: cell.kind === "model-train" }),
      close: async () => {},
    },
  ];
  if (/blas|accelerate/i.test(oursKernel)) {
    try {
      const child = await startLineChild("flux (FLUX_CPU_BLAS=0)", process.execPath, [FLUX_CHILD], {
        ...process.env,
        FLUX_CPU_BLAS: "0",
      });
      systems.push(childSystem("flux-wasm", "flux, wasm GEMM", child, options, false));
    } catch (e) {
      notes.push(`- the wasm-GEMM child did not start: ${/** @type {Error} */ (e).message}`);
    }
  }
  if (baseline) {
    systems.push({
      id: "baseline",
      label: baseline.label,
      info: {},
      measure: (cell, threads) => measureModelCell(baseline.lib, cell, threads, options),
      close: async () => {},
    });
  }
  if (torch) {
    const python = process.env.PYTHON || "python3";
    const avail = torchAvailable(python);
    if (!avail.ok) notes.push(`- PyTorch column skipped: ${avail.why}`);
    else {
      try {
        const { OPENBLAS_CORETYPE: _c, OPENBLAS_L2_SIZE: _l, ...env } = process.env;
        const child = await startLineChild("PyTorch", python, [TORCH_SCRIPT], env);
        systems.push(childSystem("torch", "PyTorch", child, options, true));
      } catch (e) {
        notes.push(`- PyTorch did not start: ${/** @type {Error} */ (e).message}`);
      }
    }
  }
  /** @type {ModelRun["results"]} */
  const results = {};
  for (const s of systems) {
    results[s.id] = {};
    for (const c of cells) results[s.id][c.id] = Object.fromEntries(MODEL_THREADS.map((t) => [t, []]));
  }
  try {
    for (let r = 0; r < rounds; r++) {
      for (const cell of cells) {
        for (const threads of MODEL_THREADS) {
          if (cell.threads && !cell.threads.includes(threads)) continue;
          // Rotate who goes first, so that no system always follows the same one.
          const order = systems.map((_, i) => systems[(i + r) % systems.length]);
          for (const s of order) {
            await sleep(SETTLE_MS);
            let m;
            try {
              m = await s.measure(cell, threads);
            } catch (e) {
              m = { error: String(/** @type {Error} */ (e)?.message ?? e) };
            }
            results[s.id][cell.id][threads].push(m);
          }
          log(`models round ${r + 1}/${rounds}: ${cell.id}, ${threads} thread${threads > 1 ? "s" : ""}`);
        }
      }
    }
  } finally {
    for (const s of systems) await s.close().catch(() => {});
    // Back to the library's default thread count (min(hardware threads, 4)).
    ours.K.setCpuThreads?.(Math.max(1, Math.min(4, availableParallelism())));
  }
  return {
    cells,
    threads: MODEL_THREADS,
    rounds,
    systems: systems.map(({ id, label, info }) => ({ id, label, info })),
    results,
    notes,
  };
}

/**
 * The rounds' measurements of one system, cell and thread count that did not fail.
 *
 * @param {ModelRun} run
 * @param {string} system
 * @param {string} cell
 * @param {number} threads
 * @returns {any[]}
 */
function okRounds(run, system, cell, threads) {
  return (run.results[system]?.[cell]?.[threads] ?? []).map((m) => (m && !m.error ? m : null));
}

/**
 * Speed (work per second) from the median over rounds of each round's median time; null when none ran.
 *
 * @param {ModelRun} run
 * @param {import("./workloads.mjs").Cell} cell
 * @param {string} system
 * @param {number} threads
 * @returns {number | null}
 */
export function modelSpeed(run, cell, system, threads) {
  const ms = okRounds(run, system, cell.id, threads).filter(Boolean);
  return ms.length ? cell.work / median(ms.map((m) => m.medianS)) : null;
}

/**
 * The median over rounds of (a's speed ÷ b's speed) in the same round; null when no round has both.
 * `clock: "cpu"` compares process CPU time per call instead of wall time (one-thread rows on a busy
 * machine: see `Measurement.cpuMedianS`).
 *
 * @param {ModelRun} run
 * @param {string} cell
 * @param {[string, number]} a system and threads
 * @param {[string, number]} b
 * @param {"wall" | "cpu"} [clock]
 * @returns {{ ratio: number, min: number, max: number } | null}
 */
export function modelRatio(run, cell, a, b, clock = "wall") {
  const ra = okRounds(run, a[0], cell, a[1]);
  const rb = okRounds(run, b[0], cell, b[1]);
  const key = clock === "cpu" ? "cpuMedianS" : "medianS";
  const ratios = [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++)
    if (ra[i]?.[key] > 0 && rb[i]?.[key] > 0) ratios.push(rb[i][key] / ra[i][key]);
  if (ratios.length === 0) return null;
  return { ratio: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/**
 * Checks the targets against a run.
 *
 * @param {ModelRun} run
 * @returns {{ target: ModelTarget, cell: string, status: "pass" | "miss" | "n/a", value: number | null, range: string }[]}
 */
export function evaluateModelTargets(run) {
  const out = [];
  const has = (/** @type {string} */ id) => run.systems.some((s) => s.id === id);
  for (const target of MODEL_TARGETS) {
    for (const cell of target.cells) {
      if (!run.cells.some((c) => c.id === cell) || !run.threads.includes(target.threads)) continue;
      const other = target.against === "torch" ? "torch" : target.against === "blas" ? "flux-wasm" : "flux";
      if (!has(other)) {
        out.push({ target, cell, status: /** @type {const} */ ("n/a"), value: null, range: "" });
        continue;
      }
      const r =
        target.against === "torch"
          ? modelRatio(run, cell, ["flux", target.threads], ["torch", target.threads])
          : target.against === "blas"
            ? modelRatio(run, cell, ["flux-wasm", target.threads], ["flux", target.threads])
            : modelRatio(run, cell, ["flux", target.threads], ["flux", 1]);
      if (r === null) {
        out.push({ target, cell, status: /** @type {const} */ ("n/a"), value: null, range: "" });
        continue;
      }
      const pass = target.against === "self-1t" ? r.ratio > target.min : r.ratio >= target.min;
      out.push({
        target,
        cell,
        status: pass ? /** @type {const} */ ("pass") : /** @type {const} */ ("miss"),
        value: r.ratio,
        range: `${formatNumber(r.min)}-${formatNumber(r.max)}x over ${run.rounds} rounds`,
      });
    }
  }
  return out;
}

/** @param {number | null} x */
const show = (x) => (x === null ? "—" : formatNumber(x));
/** @param {{ ratio: number } | null} r */
const showRatio = (r) => (r === null ? "—" : `${formatNumber(r.ratio)}x`);
/** @param {string[]} cells */
const row = (cells) => `| ${cells.join(" | ")} |`;

/**
 * The markdown of a model run: the speed table, our step profile, the targets and the notes.
 *
 * @param {ModelRun} run
 * @returns {string}
 */
export function renderModelTable(run) {
  const sys = run.systems.map((s) => s.id);
  const label = (/** @type {string} */ id) => run.systems.find((s) => s.id === id)?.label ?? id;
  const head = ["workload", "threads", ...sys.map(label)];
  if (sys.includes("torch")) head.push("÷ PyTorch", "÷ PyTorch, CPU time");
  if (sys.includes("flux-wasm")) head.push("wasm GEMM ÷ BLAS");
  if (sys.includes("baseline")) head.push(`÷ ${label("baseline")}`);
  const lines = [
    `### CPU models: @flux against PyTorch (${run.rounds} interleaved rounds)`,
    "",
    row(head),
    row(head.map((_, i) => (i < 1 ? "---" : "---:"))),
  ];
  for (const cell of run.cells) {
    for (const t of run.threads) {
      if (cell.threads && !cell.threads.includes(t)) continue;
      const cols = [cell.label, String(t), ...sys.map((s) => show(modelSpeed(run, cell, s, t)))];
      if (sys.includes("torch")) {
        cols.push(showRatio(modelRatio(run, cell.id, ["flux", t], ["torch", t])));
        // CPU time says the same thing as wall time only for one thread (two threads share the cores).
        cols.push(t === 1 ? showRatio(modelRatio(run, cell.id, ["flux", t], ["torch", t], "cpu")) : "—");
      }
      if (sys.includes("flux-wasm"))
        cols.push(showRatio(modelRatio(run, cell.id, ["flux-wasm", t], ["flux", t])));
      if (sys.includes("baseline"))
        cols.push(showRatio(modelRatio(run, cell.id, ["flux", t], ["baseline", t])));
      lines.push(row(cols));
    }
  }
  lines.push(
    "",
    "Samples/s, medians over rounds (higher is better); ratios are the median of the rounds' ratios. The CPU-time",
    "ratio (one thread) divides the processes' CPU seconds per call instead: on a busy machine it moves far less",
    "than wall time, since time spent waiting for a core is not counted.",
  );
  const trainCells = run.cells.filter((c) => c.kind === "model-train");
  if (trainCells.length)
    lines.push(
      "",
      "Our training step, ms per step (means over the timed steps, median over rounds): `forward` is the loss",
      "function under `withgradient` (model + loss, recorded), `backward` the rest of `withgradient`, `update`",
      "`updateInPlace` with Adam, `dispose` freeing the loss and gradients; `train()` is the same step through",
      "`train(lossFn, model, [[x, y]], state)` (it also reads the loss back).",
      "",
      row(["workload", "threads", "forward", "backward", "update", "dispose", "step", "`train()`"]),
      row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]),
    );
  const ms = (/** @type {number | null} */ x) => (x === null ? "—" : formatNumber(x));
  for (const cell of trainCells) {
    for (const t of run.threads) {
      const rounds = okRounds(run, "flux", cell.id, t).filter((m) => m?.profile);
      const med = (/** @type {(m: any) => number} */ f) => (rounds.length ? median(rounds.map(f)) : null);
      lines.push(
        row([
          cell.label,
          String(t),
          ms(med((m) => m.profile.forward)),
          ms(med((m) => m.profile.backward)),
          ms(med((m) => m.profile.update)),
          ms(med((m) => m.profile.dispose)),
          ms(med((m) => m.medianS * 1e3)),
          ms(med((m) => (m.train ?? Number.NaN) * 1e3)),
        ]),
      );
    }
  }
  const verdicts = evaluateModelTargets(run);
  if (verdicts.length) {
    lines.push("", "Targets:", "");
    for (const v of verdicts) {
      const cell = run.cells.find((c) => c.id === v.cell);
      const value = v.value === null ? "" : ` (${formatNumber(v.value)}x; ${v.range})`;
      lines.push(`- ${cell?.label}: ${v.target.text}: **${v.status}**${value}`);
    }
  }
  const notes = [...run.notes];
  for (const s of run.systems) {
    for (const cell of run.cells) {
      for (const t of run.threads) {
        for (const m of run.results[s.id]?.[cell.id]?.[t] ?? []) {
          if (m?.error) notes.push(`- ${s.label} / ${cell.id} / ${t} thread(s): error: ${m.error}`);
        }
      }
    }
  }
  const uniq = [...new Set(notes)];
  if (uniq.length) lines.push("", "Notes:", ...uniq);
  return `${lines.join("\n")}\n`;
}
