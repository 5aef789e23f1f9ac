// Layout of the job descriptor that the main thread and the GEMM workers share inside the wasm memory.
// Shared by the main thread (threadPool.ts) and the worker (worker.ts); the build bundles this file into the
// worker source, so it must stay free of imports and side effects.

/** Byte offset of the control block in the wasm memory (the first 64 KiB are reserved for it). */
export const CONTROL_BYTE_OFFSET = 1024;

/** Int32 slot indices inside the control block. */
export const Slot = {
  /** Job generation; workers `Atomics.wait` on it and wake when it changes. */
  generation: 0,
  /** `(generation << 16) | next chunk index`: claiming a chunk is a compare-exchange that checks the job. */
  ticket: 1,
  /** Chunks finished in the current job; the main thread waits on it. */
  done: 2,
  /** Chunks in the current job. */
  total: 3,
  transA: 4,
  transB: 5,
  m: 6,
  n: 7,
  k: 8,
  /** alpha as f32 bits (read through a Float32Array view). */
  alpha: 9,
  a: 10,
  lda: 11,
  b: 12,
  ldb: 13,
  /** beta as f32 bits. */
  beta: 14,
  c: 15,
  ldc: 16,
  /** 1 when chunks are row ranges, 0 when they are column ranges. */
  splitRows: 17,
  /** Rows or columns per chunk. */
  chunkSize: 18,
  /** Set to 1 when a worker caught an error; the main thread throws after the job. */
  error: 19,
  /** Workers that have instantiated the module and are waiting for jobs. */
  ready: 20,
  /** Byte offset of the first thread's scratch area; thread t uses scratchBase + t * scratchStride. */
  scratchBase: 21,
  scratchStride: 22,
} as const;

/** Number of Int32 slots in the control block. */
export const CONTROL_SLOTS = 32;

/** Generations wrap at 15 bits so that `(generation << 16) | index` stays a positive int32. */
export const GENERATION_MASK = 0x7fff;

/** The exports every build of `assembly/sgemm.ts` provides. */
export interface SgemmExports {
  setBlocking(mc: number, kc: number, nc: number): number;
  scratchBytes(): number;
  sgemmBlock(
    transA: number,
    transB: number,
    i0: number,
    i1: number,
    j0: number,
    j1: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
    scratch: number,
  ): void;
}

/**
 * Claims the next chunk of the job `generation`, or returns -1 when the job has no chunk left or is no longer
 * current (a worker that woke late must not take a chunk of a newer job with stale parameters).
 */
export function claimChunk(control: Int32Array, generation: number): number {
  for (;;) {
    const ticket = Atomics.load(control, Slot.ticket);
    if (ticket >>> 16 !== generation) return -1;
    const index = ticket & 0xffff;
    if (index >= Atomics.load(control, Slot.total)) return -1;
    if (Atomics.compareExchange(control, Slot.ticket, ticket, ticket + 1) === ticket) return index;
  }
}

/**
 * Computes chunk `index` of the job described in `control` with `kernel`, using scratch area `thread`.
 * `control` and `controlFloats` are Int32 and Float32 views of the same control block.
 */
export function runChunk(
  control: Int32Array,
  controlFloats: Float32Array,
  kernel: SgemmExports,
  index: number,
  thread: number,
): void {
  const m = control[Slot.m];
  const n = control[Slot.n];
  const size = control[Slot.chunkSize];
  const start = index * size;
  const rows = control[Slot.splitRows] === 1;
  const i0 = rows ? start : 0;
  const i1 = rows ? Math.min(m, start + size) : m;
  const j0 = rows ? 0 : start;
  const j1 = rows ? n : Math.min(n, start + size);
  kernel.sgemmBlock(
    control[Slot.transA],
    control[Slot.transB],
    i0,
    i1,
    j0,
    j1,
    control[Slot.k],
    controlFloats[Slot.alpha],
    control[Slot.a],
    control[Slot.lda],
    control[Slot.b],
    control[Slot.ldb],
    controlFloats[Slot.beta],
    control[Slot.c],
    control[Slot.ldc],
    control[Slot.scratchBase] + thread * control[Slot.scratchStride],
  );
}
