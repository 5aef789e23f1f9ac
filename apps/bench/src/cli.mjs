// Command-line flags of the bench (`npm run bench -- --only matmul --quick`).

import { parseArgs } from "node:util";
import { ALLREDUCE_RUNTIMES } from "./allreduce/run.mjs";
import { DATA_DEFAULTS } from "./dataEpoch.mjs";
import { BenchError } from "./errors.mjs";
import { MODEL_ROUNDS } from "./models.mjs";
import { selectCells } from "./workloads.mjs";

/** Every peer the harness can run, in column order. */
export const KNOWN_PEERS = ["tfjs-cpu", "tfjs-wasm", "tfjs-webgpu", "numpy", "torch"];

/**
 * The peers run when `--peers` is not given (tfjs-webgpu is slow on SwiftShader: ask for it). `torch` is
 * the model table's PyTorch column; it runs when `python3 -c "import torch"` works, else the table says so.
 */
export const DEFAULT_PEERS = ["tfjs-cpu", "tfjs-wasm", "numpy", "torch"];

/** Seconds of sampling per cell and system: normal, and with `--quick`. */
export const BUDGET_S = { normal: 1, quick: 0.25 };

export const USAGE = `usage: node apps/bench/src/main.mjs [options]   (or: npm run bench -- [options])

  --only <list>        workloads: matmul, mlp (= forward + train), forward, train, elementwise, models (the
                       MLP and CNN training steps and inference against PyTorch, 1 and 2 threads, interleaved),
                       or cell ids such as matmul-512, mlp-train-b128, train-cnn-b64; "data" (only when named):
                       Fashion-MNIST MLP epochs through @flux/data's device iterator, prefetch vs none
  --data-train <n>     data: training samples per epoch (default ${DATA_DEFAULTS.train}; 60000 = the whole split)
  --data-reps <n>      data: timed epochs per variant, interleaved (default ${DATA_DEFAULTS.reps})
  --data-prefetch <n>  data: prefetch of the prefetching variant (default ${DATA_DEFAULTS.prefetch})
  --data-device <d>    data: auto (webgpu when it starts, else cpu2), webgpu or cpu2 (default auto)
                       "allreduce" (only when named): @flux/distributed's allreduce bandwidth (MPI and threads
                       backends, 1 MiB and 64 MiB, 2 and 4 ranks) against a C MPI program built in the run
  --allreduce-runtimes <list>  allreduce: ${ALLREDUCE_RUNTIMES.join(", ")} (default all)
  --peers <list>       ${KNOWN_PEERS.join(", ")} (default ${DEFAULT_PEERS.join(",")}; "none" for ours only;
                       torch is the models table's column)
  --rounds <n>         models: interleaved rounds (default ${MODEL_ROUNDS.normal}, ${MODEL_ROUNDS.quick} with --quick)
  --webgpu             also run our webgpu backend, next to tfjs-webgpu (Dawn; SwiftShader without a GPU)
  --quick              ${BUDGET_S.quick} s per cell instead of ${BUDGET_S.normal} s
  --budget <seconds>   sampling time per cell and system
  --baseline <ref>     build packages/kernels at a git ref in a temporary worktree and compare with it
  --keep-baseline      leave that worktree in place (it is reused by the next run with the same commit)
  --out <dir>          where latest.json and latest.md go (default apps/bench/results)
  -h, --help`;

/**
 * @typedef {object} BenchOptions
 * @property {import("./workloads.mjs").Cell[]} cells
 * @property {string[]} peers
 * @property {boolean} webgpu
 * @property {boolean} quick
 * @property {number} budgetS
 * @property {number} rounds the models table's interleaved rounds
 * @property {string | undefined} baseline
 * @property {boolean} keepBaseline
 * @property {string | undefined} out
 * @property {boolean} help
 * @property {import("./dataEpoch.mjs").DataEpochOptions | null} data the data group's options, null when not asked
 * @property {import("./allreduce/run.mjs").AllreduceOptions | null} allreduce the allreduce group's options, null when not asked
 */

/**
 * Splits a comma list, dropping blanks: "a, b,," → ["a", "b"].
 *
 * @param {string} value
 * @returns {string[]}
 */
function list(value) {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Parses the bench's flags; unknown flags, peers and workloads throw a `BenchError` ("BAD_FLAG").
 *
 * @param {string[]} argv arguments after the script name
 * @returns {BenchOptions}
 * @example parseCli(["--only", "matmul", "--peers", "numpy", "--quick"]).budgetS // 0.25
 */
export function parseCli(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        only: { type: "string" },
        peers: { type: "string" },
        webgpu: { type: "boolean", default: false },
        quick: { type: "boolean", default: false },
        budget: { type: "string" },
        baseline: { type: "string" },
        "keep-baseline": { type: "boolean", default: false },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        "data-train": { type: "string" },
        "data-reps": { type: "string" },
        "data-prefetch": { type: "string" },
        "data-device": { type: "string" },
        "allreduce-runtimes": { type: "string" },
        rounds: { type: "string" },
      },
      allowPositionals: false,
    });
  } catch (e) {
    throw new BenchError("BAD_FLAG", `${/** @type {Error} */ (e).message}\n${USAGE}`, { cause: e });
  }
  const v = parsed.values;
  let peers = v.peers === undefined ? [...DEFAULT_PEERS] : list(v.peers);
  if (peers.length === 1 && peers[0] === "none") peers = [];
  for (const p of peers) {
    if (!KNOWN_PEERS.includes(p))
      throw new BenchError("BAD_FLAG", `--peers: unknown peer '${p}'; choose from ${KNOWN_PEERS.join(", ")}`);
  }
  if (v.webgpu && !peers.includes("tfjs-webgpu")) peers.push("tfjs-webgpu");
  peers = KNOWN_PEERS.filter((p) => peers.includes(p));
  let budgetS = v.quick ? BUDGET_S.quick : BUDGET_S.normal;
  if (v.budget !== undefined) {
    budgetS = Number(v.budget);
    if (!(budgetS > 0))
      throw new BenchError("BAD_FLAG", `--budget: expected a positive number of seconds, got '${v.budget}'`);
  }
  let rounds = v.quick ? MODEL_ROUNDS.quick : MODEL_ROUNDS.normal;
  if (v.rounds !== undefined) {
    rounds = Number(v.rounds);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new BenchError("BAD_FLAG", `--rounds: expected a whole number >= 1, got '${v.rounds}'`);
  }
  if (v.baseline !== undefined && v.baseline.trim() === "")
    throw new BenchError("BAD_FLAG", "--baseline: expected a git ref (a branch, tag or commit)");
  // "data" is its own group (not a cell of every system): run only when named, alone or beside cells.
  const only = v.only === undefined ? undefined : list(v.only);
  const data = only?.includes("data") ? dataOptions(v) : null;
  const allreduce = only?.includes("allreduce") ? allreduceOptions(v["allreduce-runtimes"]) : null;
  const cellNames = only?.filter((n) => n !== "data" && n !== "allreduce");
  return {
    cells: (data || allreduce) && cellNames?.length === 0 ? [] : selectCells(cellNames),
    peers,
    webgpu: Boolean(v.webgpu),
    quick: Boolean(v.quick),
    budgetS,
    rounds,
    baseline: v.baseline,
    keepBaseline: Boolean(v["keep-baseline"]),
    out: v.out,
    help: Boolean(v.help),
    data,
    allreduce,
  };
}

/**
 * The allreduce group's options from `--allreduce-runtimes`.
 *
 * @param {string | undefined} runtimes the flag's value
 * @returns {import("./allreduce/run.mjs").AllreduceOptions}
 */
function allreduceOptions(runtimes) {
  const names = runtimes === undefined ? [...ALLREDUCE_RUNTIMES] : list(runtimes);
  for (const n of names) {
    if (!ALLREDUCE_RUNTIMES.includes(n))
      throw new BenchError(
        "BAD_FLAG",
        `--allreduce-runtimes: unknown runtime '${n}'; choose from ${ALLREDUCE_RUNTIMES.join(", ")}`,
      );
  }
  return { runtimes: names };
}

/**
 * The data group's options from its `--data-*` flags.
 *
 * @param {Record<string, string | boolean | undefined>} v parsed flag values
 * @returns {import("./dataEpoch.mjs").DataEpochOptions}
 */
function dataOptions(v) {
  /** @param {string} flag @param {number} dflt @param {number} min */
  const int = (flag, dflt, min) => {
    const raw = v[flag];
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new BenchError("BAD_FLAG", `--${flag}: expected an integer >= ${min}, got '${raw}'`);
    return n;
  };
  const device = v["data-device"] ?? DATA_DEFAULTS.device;
  if (device !== "auto" && device !== "webgpu" && device !== "cpu2")
    throw new BenchError("BAD_FLAG", `--data-device: expected auto, webgpu or cpu2, got '${device}'`);
  return {
    train: int("data-train", DATA_DEFAULTS.train, 128),
    reps: int("data-reps", DATA_DEFAULTS.reps, 1),
    prefetch: int("data-prefetch", DATA_DEFAULTS.prefetch, 1),
    device,
    dir: DATA_DEFAULTS.dir,
  };
}
