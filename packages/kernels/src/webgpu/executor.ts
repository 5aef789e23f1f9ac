// Records work: pipelines compiled once per (shader, variant) key, many dispatches per command encoder
// inside one open compute pass, and few submits.
//
// Nothing here creates a GPU buffer per dispatch or per upload. Uniforms and small uploads are staged in
// one host-side arena and written to ONE GPU arena buffer with `queue.writeBuffer` right before each
// submit: a queue operation runs after everything submitted before it, so the arena is reused from submit
// to submit without waiting for the GPU, and no temporary outlives its submit. (Temporaries destroyed from
// `onSubmittedWorkDone` callbacks piled up without bound in a loop that never yields to the event loop:
// Dawn on Node runs those callbacks only from the event loop.) Large uploads submit what is recorded, then
// go straight to their buffer with `queue.writeBuffer`, in queue order too.
//
// The host can run far ahead of the GPU (on SwiftShader it records faster than the device executes):
// `backpressure()` lets async entry points wait until at most MAX_IN_FLIGHT submits are unfinished.
import type { ShaderName, ShaderUniforms } from "./generated/shaders.js";
import { BufferUsage, MapMode } from "./gpuConstants.js";
import { renderShader, type ShaderVariant } from "./shaderSource.js";
import { packUniforms, uniformWords } from "./uniforms.js";

/** Submit after this many recorded dispatches even without a read: bounds latency and temporaries. */
const DISPATCHES_PER_SUBMIT = 64;
/** Bytes of the staging arena (uniforms and small uploads of one submit); full means submit now. */
export const ARENA_BYTES = 256 * 1024;
/** Uploads up to this size are staged in the arena; larger ones are written to their buffer directly. */
export const ARENA_UPLOAD_MAX = 64 * 1024;
/** Unfinished submits that `backpressure()` tolerates before it waits (a few steps of a small model). */
export const MAX_IN_FLIGHT = 8;
/** Completion markers kept at most (a loop that never yields cannot resolve them; later submits share one). */
const MAX_MARKERS = 64;
/** WebGPU's guaranteed maximum workgroups per dimension. */
const MAX_GROUPS = 65535;

/**
 * The workgroup grid for `count` workgroups: 1-D when it fits, else 2-D (x × y) covering at least `count`.
 */
export function grid(count: number): [number, number, number] {
  if (count <= MAX_GROUPS) return [Math.max(count, 1), 1, 1];
  const y = Math.ceil(count / MAX_GROUPS);
  if (y > MAX_GROUPS)
    throw new RangeError(`[@flux/kernels] webgpu: ${count} workgroups exceed the grid limit`);
  return [Math.ceil(count / y), y, 1];
}

/**
 * The command recorder of one GPU device.
 */
export class Executor {
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #recorded = 0;
  /** The staging arena: its host copy (filled while recording) and the GPU buffer bound and copied from. */
  readonly #arena: GPUBuffer;
  readonly #arenaHost = new Uint8Array(ARENA_BYTES);
  readonly #arenaWords = new Uint32Array(this.#arenaHost.buffer);
  #arenaUsed = 0;
  /** Uniform bindings start at multiples of this (the device's minUniformBufferOffsetAlignment). */
  readonly #uniformAlign: number;
  /** Completion markers of recent submits (`id` = the submit count when it was made), oldest first. */
  readonly #markers: { id: number; done: Promise<void> }[] = [];
  /** The highest submit id known to have finished on the GPU. */
  #completed = 0;
  /** Hooks run right after each submit (the buffer pool's deferred destroys). */
  readonly afterSubmit: (() => void)[] = [];
  /** Total dispatches and submits so far (for tests and profiling). */
  dispatches = 0;
  submits = 0;

  constructor(readonly device: GPUDevice) {
    this.#uniformAlign = device.limits?.minUniformBufferOffsetAlignment ?? 256;
    this.#arena = device.createBuffer({
      size: ARENA_BYTES,
      usage: BufferUsage.UNIFORM | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      label: "flux staging arena",
    });
  }

  /** Whether commands are recorded but not yet submitted. */
  hasUnsubmittedWork(): boolean {
    return this.#encoder !== null;
  }

  /** Submits not yet known to have finished on the GPU (as far as completions have reached JS). */
  get inFlight(): number {
    return this.submits - this.#completed;
  }

  /** The compute pipeline of a shader variant, compiled on first use and cached by key. */
  pipeline(name: ShaderName, variant: ShaderVariant): GPUComputePipeline {
    const key = pipelineKey(name, variant);
    let p = this.#pipelines.get(key);
    if (p === undefined) {
      const module = this.device.createShaderModule({ code: renderShader(name, variant), label: key });
      p = this.device.createComputePipeline({
        layout: "auto",
        compute: { module, entryPoint: "main" },
        label: key,
      });
      this.#pipelines.set(key, p);
    }
    return p;
  }

  /** Compiles pipelines ahead of use without blocking (createComputePipelineAsync). */
  async warmup(kernels: readonly (readonly [ShaderName, ShaderVariant])[]): Promise<void> {
    await Promise.all(
      kernels.map(async ([name, variant]) => {
        const key = pipelineKey(name, variant);
        if (this.#pipelines.has(key)) return;
        const module = this.device.createShaderModule({ code: renderShader(name, variant), label: key });
        const p = await this.device.createComputePipelineAsync({
          layout: "auto",
          compute: { module, entryPoint: "main" },
          label: key,
        });
        this.#pipelines.set(key, p);
      }),
    );
  }

  /** Number of compiled pipelines. */
  get pipelineCount(): number {
    return this.#pipelines.size;
  }

  /**
   * Records one dispatch: the uniforms (by field name, see uniforms.ts) at binding 0 as a slice of the
   * arena, then `buffers` at bindings 1.. in order.
   */
  dispatch<N extends ShaderName>(
    name: N,
    variant: ShaderVariant,
    uniforms: ShaderUniforms[N],
    buffers: readonly GPUBuffer[],
    groups: readonly [number, number, number],
  ): void {
    const pipeline = this.pipeline(name, variant);
    const size = uniformWords(name) * 4;
    const offset = this.#reserve(size, this.#uniformAlign);
    packUniforms(name, uniforms, this.#arenaWords, offset / 4);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: this.#arena, offset, size } },
        ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ],
    });
    const pass = this.#openPass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.dispatches++;
    if (++this.#recorded >= DISPATCHES_PER_SUBMIT) this.flush();
  }

  /** Records a buffer-to-buffer copy (sizes in bytes, multiples of 4). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes === 0) return;
    this.#closePass();
    this.#openEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /**
   * Records an upload of `data` into `dst`, ordered with recorded work: staged in the arena and copied by
   * the command stream when small; when large, recorded work is submitted and the data written directly.
   */
  upload(dst: GPUBuffer, data: ArrayBufferView): void {
    const bytes = data.byteLength;
    if (bytes === 0) return;
    const padded = Math.ceil(bytes / 4) * 4;
    const src = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, bytes);
    if (padded <= ARENA_UPLOAD_MAX) {
      const offset = this.#reserve(padded, 4);
      this.#arenaHost.set(src, offset);
      this.#arenaHost.fill(0, offset + bytes, offset + padded);
      this.copy(this.#arena, offset, dst, 0, padded);
      return;
    }
    this.flush();
    if (padded === bytes) this.device.queue.writeBuffer(dst, 0, src);
    else {
      const whole = new Uint8Array(padded);
      whole.set(src);
      this.device.queue.writeBuffer(dst, 0, whole);
    }
  }

  /** Submits everything recorded so far (the arena's contents first, as a queue write). */
  flush(): void {
    if (this.#encoder === null) return;
    this.#closePass();
    const commands = this.#encoder.finish();
    this.#encoder = null;
    this.#recorded = 0;
    if (this.#arenaUsed > 0) {
      this.device.queue.writeBuffer(this.#arena, 0, this.#arenaHost, 0, this.#arenaUsed);
      this.#arenaUsed = 0;
    }
    this.device.queue.submit([commands]);
    this.submits++;
    this.#mark();
    for (const hook of this.afterSubmit) hook();
  }

  /**
   * Resolves once at most `maxInFlight` submits are unfinished (at once when already so). Awaiting it also
   * lets the runtime deliver the device's completions, which is when Dawn recycles its own per-submit memory.
   */
  async backpressure(maxInFlight: number, lost: Promise<never>): Promise<void> {
    while (this.submits - this.#completed > maxInFlight) {
      const target = this.submits - maxInFlight;
      let marker = this.#markers.find((m) => m.id >= target);
      if (marker === undefined) marker = this.#mark(true)!;
      await Promise.race([marker.done, lost]);
    }
  }

  /** Copies `bytes` of `src` to the host through a mapped staging buffer (submits pending work first). */
  async readBuffer(src: GPUBuffer, bytes: number, lost: Promise<never>): Promise<ArrayBuffer> {
    const padded = Math.max(4, Math.ceil(bytes / 4) * 4);
    const staging = this.device.createBuffer({
      size: padded,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    this.copy(src, 0, staging, 0, padded);
    this.flush();
    try {
      await Promise.race([staging.mapAsync(MapMode.READ), lost]);
      // Everything submitted before the read has finished too.
      this.#completed = Math.max(this.#completed, this.submits);
      return staging.getMappedRange().slice(0, bytes);
    } finally {
      staging.destroy();
    }
  }

  /**
   * Asks to be told when the latest submit finishes (a marker), unless MAX_MARKERS are already waiting and
   * `force` is off: then the newest waiting marker's resolution stands for this submit too, later.
   */
  #mark(force = false): { id: number; done: Promise<void> } | undefined {
    if (this.#markers.length >= MAX_MARKERS && !force) return undefined;
    const id = this.submits;
    const done = this.device.queue.onSubmittedWorkDone().then(
      () => this.#finished(id),
      // Rejected: the device is gone; nothing is in flight any more.
      () => this.#finished(id),
    );
    const marker = { id, done };
    this.#markers.push(marker);
    return marker;
  }

  #finished(id: number): void {
    if (id > this.#completed) this.#completed = id;
    while (this.#markers.length > 0 && this.#markers[0]!.id <= this.#completed) this.#markers.shift();
  }

  /**
   * Reserves `size` bytes of the arena at the next multiple of `align` (submitting first when the arena is
   * full: what is recorded already points at the current contents); returns the offset.
   */
  #reserve(size: number, align: number): number {
    let offset = Math.ceil(this.#arenaUsed / align) * align;
    if (offset + size > ARENA_BYTES) {
      this.flush();
      offset = 0;
    }
    this.#arenaUsed = offset + size;
    return offset;
  }

  #openEncoder(): GPUCommandEncoder {
    this.#encoder ??= this.device.createCommandEncoder();
    return this.#encoder;
  }

  #openPass(): GPUComputePassEncoder {
    this.#pass ??= this.#openEncoder().beginComputePass();
    return this.#pass;
  }

  #closePass(): void {
    if (this.#pass !== null) {
      this.#pass.end();
      this.#pass = null;
    }
  }
}

function pipelineKey(name: string, variant: ShaderVariant): string {
  const parts = Object.keys(variant)
    .sort()
    .map((k) => `${k}=${String(variant[k])}`);
  return `${name}(${parts.join(",")})`;
}
