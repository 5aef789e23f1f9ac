import { CONTROL_BYTE_OFFSET, CONTROL_SLOTS, type SgemmExports, Slot } from "./controlBlock.js";
import { type SgemmOperands, scaleC, spanOf } from "./sgemmArgs.js";
import { type WasmBuildName, wasmBuildBytes } from "./wasmBinaries.js";

/** Cache blocking measured best on this project's machine (2-core EPYC, 512 KiB L2): mc, kc, nc. */
const DEFAULT_BLOCKING: [mc: number, kc: number, nc: number] = [128, 256, 1024];

const PAGE = 65536;
/** The maximum the builds declare (2 GiB); products that need more are split by columns. */
const MAXIMUM_BYTES = 32768 * PAGE;
/** Byte offset of the first scratch area: everything below holds the control block. */
const SCRATCH_BASE = PAGE;

/** Something that computes the chunks of a job on other threads too (threadPool.ts). */
export interface ChunkRunner {
  /** Splits the job already written to the control block over the threads and returns when it is done. */
  runJob(gemm: WasmGemm, chunks: number): void;
}

/**
 * One instance of a build of the GEMM kernel, with the memory it owns: the `wasm-simd` and
 * `wasm-relaxed-simd` CPU kernels.
 *
 * `run` copies op(A), op(B) and C into the memory, computes, and copies C back: the caller's arrays can be
 * any Float32Array (subarrays included). A shared build also serves the workers of a thread pool, which
 * instantiate the same module on the same memory.
 *
 * @example
 * const gemm = WasmGemm.create("simd");
 * gemm.run({ transA: false, transB: true, m, n, k, alpha: 1, a, lda: m, b, ldb: n, beta: 0, c, ldc: m });
 */
export class WasmGemm {
  /** The memory every thread of this kernel works in. */
  readonly memory: WebAssembly.Memory;
  /**
   * Int32 and Float32 views of the control block, used by shared builds only: views of a shared memory stay
   * valid when it grows (an unshared memory's grow detaches them).
   */
  readonly control: Int32Array;
  readonly controlFloats: Float32Array;
  readonly blocking: [mc: number, kc: number, nc: number];
  private readonly kernel: SgemmExports;
  private floats: Float32Array;
  /** Scratch areas reserved (one per thread that may run chunks), and the bytes between two of them. */
  private scratchSlots = 1;
  private readonly scratchStride: number;

  private constructor(
    readonly build: WasmBuildName,
    readonly module: WebAssembly.Module,
    blocking: [number, number, number],
  ) {
    this.memory = new WebAssembly.Memory({ initial: 2, maximum: 32768, shared: build.endsWith("Shared") });
    this.kernel = new WebAssembly.Instance(module, { env: { memory: this.memory } })
      .exports as unknown as SgemmExports;
    this.blocking = blocking;
    this.control = new Int32Array(this.memory.buffer, CONTROL_BYTE_OFFSET, CONTROL_SLOTS);
    this.controlFloats = new Float32Array(this.memory.buffer, CONTROL_BYTE_OFFSET, CONTROL_SLOTS);
    this.scratchStride = align(this.kernel.setBlocking(...blocking), PAGE);
    this.floats = new Float32Array(this.memory.buffer);
  }

  /** Compiles and instantiates a build synchronously (fine for these 3 KiB modules on every runtime). */
  static create(build: WasmBuildName, blocking = DEFAULT_BLOCKING): WasmGemm {
    return new WasmGemm(build, new WebAssembly.Module(wasmBuildBytes(build) as BufferSource), blocking);
  }

  /** Compiles off the calling thread first: for browsers' main thread, which may refuse synchronous compiles. */
  static async createAsync(build: WasmBuildName, blocking = DEFAULT_BLOCKING): Promise<WasmGemm> {
    return new WasmGemm(build, await WebAssembly.compile(wasmBuildBytes(build) as BufferSource), blocking);
  }

  /** True when workers can share this kernel's memory. */
  get shared(): boolean {
    return this.build.endsWith("Shared");
  }

  /** Makes room for `threads` scratch areas (thread 0 is the calling thread). */
  reserveThreads(threads: number): void {
    this.scratchSlots = Math.max(this.scratchSlots, threads);
  }

  /**
   * C = alpha * op(A) * op(B) + beta * C. With a `runner`, the product is cut into `chunks` column (or row)
   * ranges that the runner spreads over its threads; arguments must already be checked.
   */
  run(op: SgemmOperands, runner?: ChunkRunner, chunks = 1): void {
    const { m, n, k } = op;
    if (m === 0 || n === 0) return;
    if (op.alpha === 0 || k === 0) {
      scaleC(op);
      op.epilogue?.(op.c, 0, op.c, cSpanOf(op));
      return;
    }
    const aSpan = spanOf(op.transA ? k : m, op.transA ? m : k, op.lda);
    const bSpan = spanOf(op.transB ? n : k, op.transB ? k : n, op.ldb);
    const cSpan = spanOf(m, n, op.ldc);
    const aAt = align(SCRATCH_BASE + this.scratchSlots * this.scratchStride, 16);
    const bAt = align(aAt + 4 * aSpan, 16);
    const cAt = align(bAt + 4 * bSpan, 16);
    const end = cAt + 4 * cSpan;
    if (end > MAXIMUM_BYTES) {
      if (n === 1) throw new RangeError(`[@flux/kernels] sgemm: one column needs ${end} bytes, over 2 GiB.`);
      this.runInHalves(op, runner, chunks);
      return;
    }
    this.ensureBytes(end);
    const floats = this.floats;
    floats.set(op.a.subarray(0, aSpan), aAt >> 2);
    floats.set(op.b.subarray(0, bSpan), bAt >> 2);
    // With beta = 0 and no gaps between columns, C's old values are never read: skip copying them in.
    if (op.beta !== 0 || op.ldc !== m) floats.set(op.c.subarray(0, cSpan), cAt >> 2);
    if (runner && chunks > 1) {
      this.writeJob(op, aAt, bAt, cAt, chunks);
      runner.runJob(this, this.control[Slot.total]);
    } else {
      this.kernel.sgemmBlock(
        +op.transA,
        +op.transB,
        0,
        m,
        0,
        n,
        k,
        op.alpha,
        aAt,
        op.lda,
        bAt,
        op.ldb,
        op.beta,
        cAt,
        op.ldc,
        SCRATCH_BASE,
      );
    }
    // The epilogue (bias + activation) rides on the copy out: one pass over C instead of two.
    if (op.epilogue) op.epilogue(floats, cAt >> 2, op.c, cSpan);
    else op.c.set(floats.subarray(cAt >> 2, (cAt >> 2) + cSpan));
  }

  /** The kernel's exports, for the calling thread's share of a threaded job. */
  get exports(): SgemmExports {
    return this.kernel;
  }

  // Describes the job in the control block: chunks split the longer of C's two sides (whole columns by
  // default, since column ranges keep each thread's C writes contiguous).
  private writeJob(op: SgemmOperands, aAt: number, bAt: number, cAt: number, chunks: number): void {
    const control = this.control;
    const splitRows = op.m > 2 * op.n;
    const side = splitRows ? op.m : op.n;
    const unit = splitRows ? 8 : 4;
    const chunkSize = align(Math.ceil(side / chunks), unit);
    control[Slot.transA] = +op.transA;
    control[Slot.transB] = +op.transB;
    control[Slot.m] = op.m;
    control[Slot.n] = op.n;
    control[Slot.k] = op.k;
    this.controlFloats[Slot.alpha] = op.alpha;
    control[Slot.a] = aAt;
    control[Slot.lda] = op.lda;
    control[Slot.b] = bAt;
    control[Slot.ldb] = op.ldb;
    this.controlFloats[Slot.beta] = op.beta;
    control[Slot.c] = cAt;
    control[Slot.ldc] = op.ldc;
    control[Slot.splitRows] = +splitRows;
    control[Slot.chunkSize] = chunkSize;
    control[Slot.total] = Math.ceil(side / chunkSize);
    control[Slot.scratchBase] = SCRATCH_BASE;
    control[Slot.scratchStride] = this.scratchStride;
  }

  // Splits op(B) and C by columns when the operands would not fit the 2 GiB memory at once.
  private runInHalves(op: SgemmOperands, runner: ChunkRunner | undefined, chunks: number): void {
    const left = Math.ceil(op.n / 2);
    const bOffset = (j: number) => (op.transB ? j : j * op.ldb);
    this.run({ ...op, n: left }, runner, chunks);
    this.run(
      { ...op, n: op.n - left, b: op.b.subarray(bOffset(left)), c: op.c.subarray(left * op.ldc) },
      runner,
      chunks,
    );
  }

  private ensureBytes(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.floats.buffer.byteLength !== this.memory.buffer.byteLength) {
      this.floats = new Float32Array(this.memory.buffer);
    }
  }
}

function cSpanOf(op: SgemmOperands): number {
  return spanOf(op.m, op.n, op.ldc);
}

function align(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}
