// A pool of storage buffers by size class. Freed buffers wait for reuse (creating a GPUBuffer is far more
// expensive than reusing one); the pool is capped, and `trim()` empties it. Buffers still referenced by
// commands that are recorded but not yet submitted are destroyed only after the next submit.
import { BufferUsage } from "./gpuConstants.js";

/** Live/pooled/peak byte and buffer counts of one pool, for `memory()` and leak checks. */
export interface PoolStats {
  readonly liveBuffers: number;
  readonly liveBytes: number;
  readonly pooledBuffers: number;
  readonly pooledBytes: number;
  readonly peakBytes: number;
}

const MIN_BYTES = 16;

/**
 * The size class of a request: the next of 2^k, 1.25·2^k, 1.5·2^k, 1.75·2^k (at most 25% waste), a
 * multiple of 16 bytes so every buffer can also be viewed as `array<vec4<f32>>`.
 *
 * @example
 * sizeClass(1000); // 1024
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
 * `release` hands it back. `deferDestroy` decides whether a destroy must wait for the next submit.
 *
 * @example
 * const pool = new BufferPool(device, 256 << 20, () => false);
 * const b = pool.acquire(4096); pool.release(b); pool.trim();
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
    private readonly hasUnsubmittedWork: () => boolean,
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
    };
  }

  #destroy(buf: GPUBuffer): void {
    // Destroying a buffer that recorded-but-unsubmitted commands use would make the whole submit fail.
    if (this.hasUnsubmittedWork()) this.#pendingDestroy.push(buf);
    else buf.destroy();
  }
}
