// The root README's training loop (withgradient, updateInPlace, dispose; a GPU DataLoader) on WebGPU must
// run in constant memory: no GPU buffer may be left behind per step (the executor used to create a uniform
// buffer per dispatch and destroy it from an `onSubmittedWorkDone` callback, which never runs in a loop
// that does not yield to the event loop, so ~119 buffers and ~1 MB of process memory piled up per step),
// and the host may not queue work without bound ahead of the device (`toDevice` waits: backpressure).
//
// Counts live GPU buffers at the device API (every createBuffer minus every destroy) and the process's
// resident memory after a full GC, once after a warm-up (the first half: Dawn and SwiftShader grow their
// own pools for ~100-200 steps, by ~60 MB) and once at the end. FLUX_README_LOOP_STEPS sets the step count
// (default 200, 10-20 s on SwiftShader); 5000 is the long check:
//   FLUX_README_LOOP_STEPS=5000 node tooling/scripts/with-vulkan.mjs vitest run tooling/conformance/readmeLoop
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import {
  Adam,
  apply,
  Chain,
  DataLoader,
  Dense,
  dispose,
  getBackend,
  gpu,
  logitcrossentropy,
  memory,
  onehotbatch,
  rng,
  setDefaultRng,
  setup,
  sigmoid,
  tensor,
  updateInPlace,
  withgradient,
} from "@flux/flux";
import type { WebGPUBackend } from "@flux/kernels/webgpu";
import { describe, expect, it } from "vitest";
import { webgpuAvailableForTests } from "../../packages/kernels/src/webgpu/testing.js";

const available = await webgpuAvailableForTests();
const STEPS = Number(process.env.FLUX_README_LOOP_STEPS ?? 200);
const WARMUP = Math.min(Math.floor(STEPS / 2), 500);
/** Resident memory the loop may gain between the warm-up and the end (the old leak: ~1 MB per step). */
const RSS_SLACK_MB = 40;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** RSS in MB after a full collection (and a turn of the event loop, so native finalizers run). */
async function settledRssMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().rss / 2 ** 20;
}

/**
 * Counts the device's live buffers (created and not destroyed) by wrapping its createBuffer, and the most
 * that were live at once since `resetPeak()`.
 */
function countBuffers(device: GPUDevice): {
  live: () => number;
  created: () => number;
  peak: () => number;
  resetPeak: () => void;
} {
  let created = 0;
  let destroyed = 0;
  let peak = 0;
  const create = device.createBuffer.bind(device);
  device.createBuffer = (desc: GPUBufferDescriptor) => {
    const buf = create(desc);
    created++;
    peak = Math.max(peak, created - destroyed);
    const destroy = buf.destroy.bind(buf);
    let done = false;
    buf.destroy = () => {
      if (!done) destroyed++;
      done = true;
      destroy();
    };
    return buf;
  };
  return {
    live: () => created - destroyed,
    created: () => created,
    peak: () => peak,
    resetPeak: () => {
      peak = created - destroyed;
    },
  };
}

describe.skipIf(!available)("the README's XOR loop on WebGPU", () => {
  it(
    `keeps GPU buffers and process memory flat over ${STEPS} steps`,
    async () => {
      setDefaultRng(rng(1));
      const backend = (await getBackend("webgpu")) as unknown as WebGPUBackend;
      const buffers = countBuffers(backend.gpu);

      // As README.md writes it.
      const x = tensor([0, 0, 0, 1, 1, 0, 1, 1], [2, 4]);
      const y = onehotbatch([0, 1, 1, 0], [0, 1]);
      const loader = gpu(DataLoader([x, y], { batchsize: 4, shuffle: true }));
      const model = await gpu(Chain(Dense(2, 3, sigmoid), Dense(3, 2)));
      const optState = setup(Adam(0.1, [0.7, 0.95]), model);

      let warm: { live: number; created: number; rss: number; pending: number } | undefined;
      const t0 = performance.now();
      for (let epoch = 0; epoch < STEPS; epoch++) {
        if (epoch === WARMUP) {
          await backend.sync();
          warm = {
            live: buffers.live(),
            created: buffers.created(),
            rss: await settledRssMb(),
            pending: memory("webgpu").pendingBuffers,
          };
          buffers.resetPeak();
        }
        for await (const [xb, yb] of loader) {
          const { val, grad } = withgradient((m) => logitcrossentropy(apply(m, xb), yb), model);
          updateInPlace(optState, model, grad[0]);
          dispose([val, grad]);
        }
      }
      const peak = buffers.peak();
      await backend.sync();
      const end = {
        live: buffers.live(),
        created: buffers.created(),
        rss: await settledRssMb(),
        pending: memory("webgpu").pendingBuffers,
      };
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `README loop, ${STEPS} steps in ${seconds.toFixed(1)} s: GPU buffers live ${warm!.live} -> ${end.live} ` +
          `(at most ${peak} during steps ${WARMUP}-${STEPS}, ${end.created - warm!.created} created), ` +
          `RSS ${warm!.rss.toFixed(0)} -> ` +
          `${end.rss.toFixed(0)} MB, pendingBuffers ${warm!.pending} -> ${end.pending}`,
      );
      // Not one GPU buffer per step: the same pooled buffers every step, none created after the warm-up.
      expect(end.live).toBe(warm!.live);
      expect(peak).toBeLessThanOrEqual(warm!.live + 2);
      expect(end.created - warm!.created).toBeLessThanOrEqual(2);
      expect(end.pending).toBe(0);
      expect(end.rss - warm!.rss).toBeLessThan(RSS_SLACK_MB);
      dispose([x, y, model]);
    },
    120_000 + STEPS * 200,
  );
});
