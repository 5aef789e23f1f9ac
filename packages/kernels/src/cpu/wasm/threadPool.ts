import type { Worker as NodeWorker } from "node:worker_threads";
import { claimChunk, GENERATION_MASK, runChunk, Slot } from "./controlBlock.js";
import { nodeBuiltin } from "./features.js";
import { gemmWorkerSource } from "./wasmBinaries.js";
import type { ChunkRunner, WasmGemm } from "./wasmGemm.js";

/**
 * Worker threads that share one WasmGemm's memory and split its large products with the calling thread.
 *
 * Workers start lazily (`ensureWorkers`) and count as helpers only once they have instantiated the kernel
 * (`ready`). A job is a set of chunks (column or row ranges of C) that every thread claims with a
 * compare-exchange; the calling thread claims too, so a worker that wakes late (waking costs 15-40 us here)
 * only finds less work, never stalls the job. The calling thread then blocks in `Atomics.wait` until the
 * last chunk is done, which Node, Bun and Deno allow on their main thread (browsers do not: no pool there).
 * Workers are unref'd on Node, Bun and Deno, so they never keep a process alive.
 *
 * @example
 * const gemm = WasmGemm.create("simdShared");
 * const pool = new GemmThreadPool(gemm);
 * pool.ensureWorkers(1);
 * await pool.whenReady(1);
 * gemm.run(operands, pool, 2);
 */
export class GemmThreadPool implements ChunkRunner {
  private started = 0;
  private generation = 0;
  /** The last error a worker reported while starting, for diagnostics (workers that fail stay unready). */
  lastWorkerError: unknown;

  constructor(private readonly gemm: WasmGemm) {
    if (!gemm.shared) throw new TypeError("[@flux/kernels] GemmThreadPool needs a shared-memory wasm build.");
  }

  /** Workers that have instantiated the kernel and wait for jobs. */
  get ready(): number {
    return Atomics.load(this.gemm.control, Slot.ready);
  }

  /** Starts workers until `count` exist (they become ready a few ms later). Returns the number started. */
  ensureWorkers(count: number): number {
    this.gemm.reserveThreads(count + 1);
    while (this.started < count) {
      this.started++;
      const init = {
        memory: this.gemm.memory,
        module: this.gemm.module,
        thread: this.started,
        blocking: this.gemm.blocking,
      };
      try {
        spawnWorker(init, (error) => {
          this.lastWorkerError = error;
        });
      } catch (error) {
        this.lastWorkerError = error;
        this.started--;
        break;
      }
    }
    return this.started;
  }

  /** Resolves once `count` workers are ready, or after `timeoutMs` (then fewer threads are used). */
  async whenReady(count: number, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.ready < Math.min(count, this.started) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return this.ready;
  }

  runJob(gemm: WasmGemm, chunks: number): void {
    const control = gemm.control;
    this.generation = (this.generation + 1) & GENERATION_MASK;
    const generation = this.generation;
    Atomics.store(control, Slot.error, 0);
    Atomics.store(control, Slot.done, 0);
    Atomics.store(control, Slot.ticket, generation << 16);
    Atomics.store(control, Slot.generation, generation);
    Atomics.notify(control, Slot.generation, chunks - 1);
    for (let index = claimChunk(control, generation); index >= 0; index = claimChunk(control, generation)) {
      runChunk(control, gemm.controlFloats, gemm.exports, index, 0);
      Atomics.add(control, Slot.done, 1);
    }
    for (
      let done = Atomics.load(control, Slot.done);
      done < chunks;
      done = Atomics.load(control, Slot.done)
    ) {
      Atomics.wait(control, Slot.done, done);
    }
    if (Atomics.load(control, Slot.error) !== 0) {
      throw new Error("[@flux/kernels] sgemm: a CPU worker thread failed while computing its share of C.");
    }
  }
}

interface WorkerInit {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  thread: number;
  blocking: [number, number, number];
}

// Node, Bun and Deno: node:worker_threads from the script string (unref'd). Browsers and other Web Worker
// hosts: a Blob URL (only reached inside a worker, since a browser's main thread cannot Atomics.wait).
function spawnWorker(init: WorkerInit, onError: (error: unknown) => void): void {
  const source = gemmWorkerSource();
  const threads = nodeBuiltin<{ Worker: typeof NodeWorker }>("node:worker_threads");
  if (threads) {
    const worker = new threads.Worker(source, { eval: true, name: `flux-sgemm-${init.thread}` });
    worker.on("error", onError);
    worker.unref();
    worker.postMessage(init);
    return;
  }
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url, { name: `flux-sgemm-${init.thread}` });
  worker.onerror = onError;
  worker.postMessage(init);
}
