// A pool of storage buffers by size class. Freed buffers wait for reuse (creating a GPUBuffer is far more
// expensive than reusing one); the pool is capped, and `trim()` empties it.
//
// A freed buffer is reusable AT ONCE, without waiting for the GPU: storage buffers are only ever touched by
// commands on the device's one queue (never mapped), so whatever the next owner records runs after every
// command that used the buffer before. Only destruction must wait: a buffer that recorded-but-unsubmitted
// commands use is destroyed right after the next submit (destroying a buffer after its submit is fine: the
// implementation keeps its memory until the GPU is done). Those wait in a pending list, counted by
// `pendingBuffers` (memory()'s `pendingBuffers`); when it grows past PENDING_FLUSH the pool submits.
import { BufferUsage } from "./gpuConstants.js";

/** Live/pooled/peak byte and buffer counts of one pool, for `memory()` and leak checks. */
export interface PoolStats {
  readonly liveBuffers: number;
  readonly liveBytes: number;
  readonly pooledBuffers: number;
  readonly pooledBytes: number;
  readonly peakBytes: number;
  /** Buffers freed but not yet destroyed because recorded, unsubmitted commands still use them. */
  readonly pendingBuffers: number;
}

/** The queue side the pool needs: whether commands are recorded but unsubmitted, and a way to submit them. */
export interface PoolQueue {
  hasUnsubmittedWork(): boolean;
  flush(): void;
}

const MIN_BYTES = 16;
/** Pending destroys that make the pool submit recorded work rather than let the list grow. */
export const PENDING_FLUSH = 64;

/**
 * The size class of a request: the next of 2^k, 1.25·2^k, 1.5·2^k, 1.75·2^k (at most 25% waste), a
 * multiple of 16 bytes so every buffer can also be viewed as `array<vec4<f32>>`.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= MIN_BYTES) return MIN_BYTES;
  const p = 2 ** Math.floor(Math.log2(bytes));
  for (const f of [1, 1.25, 1.5, 1.75, 2]) {
    const s = Math.ceil((p * f) / 16) * 16;
    if (s >= bytes) return s;
  }
  return Math.ceil((2 * p) / 16) * 16;
}

/**
 * Storage buffers with reuse by size class.
 *
 * `acquire` returns a buffer of at least the requested size (usage STORAGE | COPY_SRC | COPY_DST);
 * `release` hands it back (reusable at once, see the file comment). `queue` says whether a destroy must wait
 * for the next submit.
 */
export class BufferPool {
  readonly #free = new Map<number, GPUBuffer[]>();
  readonly #pendingDestroy: GPUBuffer[] = [];
  #liveBuffers = 0;
  #liveBytes = 0;
  #pooledBuffers = 0;
  #pooledBytes = 0;
  #peakBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Bytes the pool may hold; releases beyond it destroy the buffer. */
    public capBytes: number,
    private readonly queue: PoolQueue,
  ) {}

  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.#free.get(size);
    let buf = list?.pop();
    if (buf !== undefined) {
      this.#pooledBuffers--;
      this.#pooledBytes -= size;
    } else {
      buf = this.device.createBuffer({
        size,
        usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      });
    }
    this.#liveBuffers++;
    this.#liveBytes += size;
    if (this.#liveBytes > this.#peakBytes) this.#peakBytes = this.#liveBytes;
    return buf;
  }

  release(buf: GPUBuffer): void {
    const size = buf.size;
    this.#liveBuffers--;
    this.#liveBytes -= size;
    if (this.#pooledBytes + size > this.capBytes) {
      this.#destroy(buf);
      return;
    }
    let list = this.#free.get(size);
    if (list === undefined) {
      list = [];
      this.#free.set(size, list);
    }
    list.push(buf);
    this.#pooledBuffers++;
    this.#pooledBytes += size;
  }

  /** Destroys every pooled buffer (live ones are untouched). */
  trim(): void {
    for (const list of this.#free.values()) for (const b of list) this.#destroy(b);
    this.#free.clear();
    this.#pooledBuffers = 0;
    this.#pooledBytes = 0;
  }

  /** Called after each submit: buffers whose destruction waited for it can go now. */
  afterSubmit(): void {
    for (const b of this.#pendingDestroy.splice(0)) b.destroy();
  }

  stats(): PoolStats {
    return {
      liveBuffers: this.#liveBuffers,
      liveBytes: this.#liveBytes,
      pooledBuffers: this.#pooledBuffers,
      pooledBytes: this.#pooledBytes,
      peakBytes: this.#peakBytes,
      pendingBuffers: this.#pendingDestroy.length,
    };
  }

  #destroy(buf: GPUBuffer): void {
    // Destroying a buffer that recorded-but-unsubmitted commands use would make the whole submit fail.
    if (!this.queue.hasUnsubmittedWork()) {
      buf.destroy();
      return;
    }
    this.#pendingDestroy.push(buf);
    // The submit runs afterSubmit(), which destroys the whole list.
    if (this.#pendingDestroy.length >= PENDING_FLUSH) this.queue.flush();
  }
}
