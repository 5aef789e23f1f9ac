// Entry point of a GEMM worker thread. Not imported by the library: scripts/build-wasm.mjs bundles this file
// (with controlBlock.ts) into one script string, generated/workerSource.ts, and threadPool.ts starts workers
// from that string. A string works unchanged from src/ (vitest) and from a tsup bundle, on Node, Bun and
// Deno (`node:worker_threads` with `eval: true`) and in browsers (a Blob URL), with no file to locate.
import {
  CONTROL_BYTE_OFFSET,
  CONTROL_SLOTS,
  claimChunk,
  runChunk,
  type SgemmExports,
  Slot,
} from "./controlBlock.js";

/** What the main thread posts once to each new worker. */
interface WorkerInit {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  /** Index of this worker's scratch area (the main thread is 0). */
  thread: number;
  blocking: [mc: number, kc: number, nc: number];
}

// Instantiates the kernel on the shared memory, reports readiness, then serves jobs forever. It never returns
// to the event loop on purpose: the thread only sleeps in Atomics.wait, and the main thread unrefs it, so it
// neither keeps the process alive nor needs a shutdown message.
function serve(init: WorkerInit): void {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const kernel = instance.exports as unknown as SgemmExports;
  kernel.setBlocking(...init.blocking);
  const control = new Int32Array(init.memory.buffer, CONTROL_BYTE_OFFSET, CONTROL_SLOTS);
  const controlFloats = new Float32Array(init.memory.buffer, CONTROL_BYTE_OFFSET, CONTROL_SLOTS);
  let generation = Atomics.load(control, Slot.generation);
  Atomics.add(control, Slot.ready, 1);
  for (;;) {
    Atomics.wait(control, Slot.generation, generation);
    generation = Atomics.load(control, Slot.generation);
    for (let index = claimChunk(control, generation); index >= 0; index = claimChunk(control, generation)) {
      try {
        runChunk(control, controlFloats, kernel, index, init.thread);
      } catch {
        Atomics.store(control, Slot.error, 1);
      }
      Atomics.add(control, Slot.done, 1);
      Atomics.notify(control, Slot.done);
    }
  }
}

interface NodeWorkerThreads {
  parentPort: { once(event: "message", listener: (init: WorkerInit) => void): void } | null;
}

const nodeThreads = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.("node:worker_threads") as NodeWorkerThreads | undefined;

if (nodeThreads?.parentPort) {
  nodeThreads.parentPort.once("message", serve);
} else {
  (globalThis as unknown as { onmessage: (event: MessageEvent<WorkerInit>) => void }).onmessage = (event) =>
    serve(event.data);
}
