// Records work: pipelines compiled once per (shader, variant) key, many dispatches per command encoder
// inside one open compute pass, uploads as staged copies in the SAME stream (so a pooled buffer reused
// for an upload is never overwritten before earlier recorded work read it), and few submits.
import { BufferUsage, MapMode } from "./gpuConstants.js";
import type { ShaderName } from "./generated/shaders.js";
import { renderShader, type ShaderVariant } from "./shaderSource.js";

/** Submit after this many recorded dispatches even without a read: bounds latency and temporaries. */
const DISPATCHES_PER_SUBMIT = 64;
/** WebGPU's guaranteed maximum workgroups per dimension. */
const MAX_GROUPS = 65535;

/**
 * The workgroup grid for `count` workgroups: 1-D when it fits, else 2-D (x × y) covering at least `count`.
 *
 * @example
 * grid(70000); // [65535, 2, 1]
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
 *
 * @example
 * ex.dispatch("unary", { dtype: "f32" }, uniforms, [x, out], grid(n / 64));
 * await ex.readBuffer(out, bytes);
 */
export class Executor {
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #recorded = 0;
  /** Per-submit temporaries (uniform and staging buffers), destroyed once the GPU finished with them. */
  #temporaries: GPUBuffer[] = [];
  /** Hooks run right after each submit (the buffer pool's deferred destroys). */
  readonly afterSubmit: (() => void)[] = [];
  /** Total dispatches and submits so far (for tests and profiling). */
  dispatches = 0;
  submits = 0;

  constructor(readonly device: GPUDevice) {}

  /** Whether commands are recorded but not yet submitted. */
  hasUnsubmittedWork(): boolean {
    return this.#encoder !== null;
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
   * Records one dispatch: uniforms at binding 0, then `buffers` at bindings 1.. in order.
   */
  dispatch(
    name: ShaderName,
    variant: ShaderVariant,
    uniforms: ArrayBuffer,
    buffers: readonly GPUBuffer[],
    groups: readonly [number, number, number],
  ): void {
    const pipeline = this.pipeline(name, variant);
    const ubuf = this.device.createBuffer({
      size: Math.max(16, Math.ceil(uniforms.byteLength / 16) * 16),
      usage: BufferUsage.UNIFORM,
      mappedAtCreation: true,
    });
    new Uint8Array(ubuf.getMappedRange()).set(new Uint8Array(uniforms));
    ubuf.unmap();
    this.#temporaries.push(ubuf);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: ubuf } },
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

  /** Records an upload of `data` into `dst` through a staging buffer (ordered with recorded work). */
  upload(dst: GPUBuffer, data: ArrayBufferView): void {
    const bytes = data.byteLength;
    if (bytes === 0) return;
    const padded = Math.ceil(bytes / 4) * 4;
    const staging = this.device.createBuffer({
      size: padded,
      usage: BufferUsage.COPY_SRC,
      mappedAtCreation: true,
    });
    new Uint8Array(staging.getMappedRange(), 0, bytes).set(
      new Uint8Array(data.buffer, data.byteOffset, bytes),
    );
    staging.unmap();
    this.#temporaries.push(staging);
    this.copy(staging, 0, dst, 0, padded);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (this.#encoder === null) return;
    this.#closePass();
    const commands = this.#encoder.finish();
    this.#encoder = null;
    this.#recorded = 0;
    this.device.queue.submit([commands]);
    this.submits++;
    const temps = this.#temporaries;
    this.#temporaries = [];
    for (const hook of this.afterSubmit) hook();
    if (temps.length > 0) {
      // Destroy is deferred by the implementation until submitted work completes, but waiting keeps
      // Dawn's bookkeeping small; a rejection here means the device is gone (handled by device.lost).
      this.device.queue.onSubmittedWorkDone().then(
        () => {
          for (const t of temps) t.destroy();
        },
        () => {},
      );
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
      return staging.getMappedRange().slice(0, bytes);
    } finally {
      staging.destroy();
    }
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
