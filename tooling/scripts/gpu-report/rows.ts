// The WebGPU rows of the GPU report (`npm run gpu:report`): the adapter, matmul throughput over sizes (f32,
// and f16 where the device has `shader-f16`), and a train step (forward + backward + Adam, written as the
// README writes it) of an MLP and of a LeNet-style CNN, each timed until its share of a time budget runs out.
// `quick` shrinks every size so that SwiftShader (a CPU) finishes in seconds: the test runs it that way so
// the report cannot rot on machines without a GPU.
import {
  Adam,
  apply,
  Chain,
  Conv,
  cast,
  Dense,
  dispose,
  flatten,
  getBackend,
  gpu,
  logitcrossentropy,
  MaxPool,
  matmul,
  onehotbatch,
  randn,
  relu,
  setup,
  type Tensor,
  updateInPlace,
  withgradient,
} from "@flux/flux";
import type { WebGPUBackend } from "@flux/kernels/webgpu";

/** One measured row. */
export interface GpuRow {
  readonly name: string;
  readonly unit: string;
  /** The best (highest) rate seen, or `undefined` when the budget ran out before it could run. */
  readonly value: number | undefined;
  readonly runs: number;
  readonly note?: string;
}

/** What the report is run with. */
export interface GpuReportOptions {
  /** Small sizes (seconds on SwiftShader) instead of the GPU sizes. */
  readonly quick: boolean;
  /** Wall-clock budget for all rows, in ms (each row gets what is left, split over the rows to come). */
  readonly budgetMs: number;
  /** Called with each row as soon as it is measured. */
  readonly onRow?: (row: GpuRow) => void;
}

/** The adapter the WebGPU backend runs on, in words. */
export function adapterLines(b: WebGPUBackend): string[] {
  const a = b.adapter;
  const l = b.gpu.limits;
  return [
    `adapter: ${a.description || "(no description)"}; vendor ${a.vendor || "?"}, architecture ${a.architecture || "?"}` +
      `${a.isFallbackAdapter ? " (fallback adapter)" : ""}`,
    `features: ${[...b.gpu.features].sort().join(", ") || "(none)"}`,
    `limits: maxBufferSize ${l.maxBufferSize}, maxStorageBufferBindingSize ${l.maxStorageBufferBindingSize}, ` +
      `maxComputeWorkgroupStorageSize ${l.maxComputeWorkgroupStorageSize}`,
    `dtypes: ${b.dtypes.join(", ")}; matmul heuristic: ${JSON.stringify(b.matmulPreference)}; autotune: ${b.tuner ? "on" : "off"}`,
  ];
}

/** A train step of `model` on one batch, as README.md writes it; returns a function that runs `steps` of it. */
function trainStep<M extends Parameters<typeof apply>[0]>(
  model: M,
  x: Tensor,
  y: Tensor,
  steps: number,
): () => Promise<void> {
  const state = setup(Adam(1e-3), model);
  return async () => {
    for (let i = 0; i < steps; i++) {
      const { val, grad } = withgradient((m) => logitcrossentropy(apply(m, x), y), model);
      updateInPlace(state, model, grad[0]);
      dispose([val, grad]);
    }
  };
}

/**
 * Measures every row within the budget; at full sizes, rows that would start after it ran out are reported
 * without a value (`note: "budget"`).
 */
export async function gpuReportRows(opts: GpuReportOptions): Promise<GpuRow[]> {
  const b = (await getBackend("webgpu")) as unknown as WebGPUBackend;
  const device = b.device;
  const deadline = performance.now() + opts.budgetMs;
  const rows: GpuRow[] = [];
  const sizes = opts.quick ? [32, 64] : [1024, 2048, 4096, 8192];
  const dtypes = b.dtypes.includes("f16") ? (["f32", "f16"] as const) : (["f32"] as const);
  type Job = { name: string; unit: string; run: (budget: number) => Promise<Omit<GpuRow, "name" | "unit">> };
  const jobs: Job[] = [];
  for (const dtype of dtypes) {
    for (const n of sizes) {
      jobs.push({
        name: `matmul ${dtype} n=${n}`,
        unit: "TFLOPS",
        run: async (budget) => {
          const a0 = randn([n, n], { device });
          const a = dtype === "f16" ? cast(a0, "f16") : a0;
          let out: Tensor | undefined;
          const step = async () => {
            out?.dispose();
            out = matmul(a, a);
          };
          const { best, runs } = await timeAsync(b, step, budget);
          dispose([out, a, a0]);
          return { value: (2 * n ** 3) / best / 1e12, runs };
        },
      });
    }
  }
  // Quick mode keeps each model's shape (two dense layers; two conv + pool stages and two dense layers) at a
  // size SwiftShader steps through in well under a second.
  const q = opts.quick;
  const mlp = q
    ? { inn: 64, hidden: 32, batch: 8, steps: 1 }
    : { inn: 784, hidden: 256, batch: 128, steps: 10 };
  jobs.push({
    name: `MLP ${mlp.inn}-${mlp.hidden}-10 train step, batch ${mlp.batch}`,
    unit: "samples/s",
    run: async (budget) => {
      const model = await gpu(Chain(Dense(mlp.inn, mlp.hidden, relu), Dense(mlp.hidden, 10)));
      const x = randn([mlp.inn, mlp.batch], { device });
      const y = await labels(mlp.batch);
      const r = await timeAsync(b, trainStep(model, x, y, mlp.steps), budget);
      dispose([model, x, y]);
      return { value: (mlp.batch * mlp.steps) / r.best, runs: r.runs };
    },
  });
  // 28 -> conv 26 -> pool 13 -> conv 11 -> pool 5: 5*5*32 = 800 (quick: 14 -> 12 -> 6 -> 4 -> 2, 2*2*8 = 32)
  const cnn = q
    ? { side: 14, c1: 4, c2: 8, flat: 32, hidden: 16, batch: 2, steps: 1 }
    : { side: 28, c1: 16, c2: 32, flat: 800, hidden: 128, batch: 64, steps: 5 };
  jobs.push({
    name: `CNN (conv 3x3 ${cnn.c1}, pool, conv 3x3 ${cnn.c2}, pool, ${cnn.flat}-${cnn.hidden}-10) train step, batch ${cnn.batch}`,
    unit: "samples/s",
    run: async (budget) => {
      const model = await gpu(
        Chain(
          Conv([3, 3], 1, cnn.c1, relu),
          MaxPool([2, 2]),
          Conv([3, 3], cnn.c1, cnn.c2, relu),
          MaxPool([2, 2]),
          flatten,
          Dense(cnn.flat, cnn.hidden, relu),
          Dense(cnn.hidden, 10),
        ),
      );
      const x = randn([cnn.side, cnn.side, 1, cnn.batch], { device });
      const y = await labels(cnn.batch);
      const r = await timeAsync(b, trainStep(model, x, y, cnn.steps), budget);
      dispose([model, x, y]);
      return { value: (cnn.batch * cnn.steps) / r.best, runs: r.runs };
    },
  });
  for (const [i, job] of jobs.entries()) {
    const left = deadline - performance.now();
    // Full sizes: a row that would start after the deadline is skipped (an 8192 matmul on a slow adapter
    // could take minutes). Quick sizes take well under a second: every row runs its minimum, so the test
    // checks all of them however loaded the machine is.
    const row: GpuRow =
      left <= 0 && !opts.quick
        ? { name: job.name, unit: job.unit, value: undefined, runs: 0, note: "budget" }
        : { name: job.name, unit: job.unit, ...(await job.run(Math.max(0, left) / (jobs.length - i))) };
    rows.push(row);
    opts.onRow?.(row);
  }
  return rows;
}

async function timeAsync(
  b: WebGPUBackend,
  run: () => Promise<void>,
  budgetMs: number,
): Promise<{ best: number; runs: number }> {
  await run();
  await b.sync();
  const end = performance.now() + budgetMs;
  let best = Number.POSITIVE_INFINITY;
  let runs = 0;
  while (runs < 2 || performance.now() < end) {
    const t0 = performance.now();
    await run();
    await b.sync();
    best = Math.min(best, (performance.now() - t0) / 1000);
    runs++;
    if (runs >= 200) break;
  }
  return { best, runs };
}

/** One-hot labels 0..9 repeated, [10, n], on the GPU. */
async function labels(n: number): Promise<Tensor> {
  const y = onehotbatch(
    Array.from({ length: n }, (_, i) => i % 10),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  const moved = await gpu(y);
  if (moved !== y) y.dispose();
  return moved;
}

/** Formats rows as a Markdown table (what the report prints and the bench README quotes). */
export function formatRows(rows: readonly GpuRow[]): string {
  const lines = ["| row | value | unit | runs |", "| --- | --- | --- | --- |"];
  for (const r of rows) {
    const v =
      r.value === undefined ? `— (${r.note})` : r.value < 100 ? r.value.toPrecision(3) : r.value.toFixed(0);
    lines.push(`| ${r.name} | ${v} | ${r.unit} | ${r.runs} |`);
  }
  return lines.join("\n");
}
