// The small single-thread wasm SIMD kernels (affine and element-wise, activations, pooling, bias, the
// recurrent gates, the optimiser step) load one way: the module is instantiated synchronously on first use
// (each is a few KiB, under every browser's main-thread compile limit), its scratch blocks are placed by
// exported globals, and where this runtime cannot run it (no WebAssembly, or no SIMD: a validation or
// compile error) the kernel is null and the JS loops serve.

/** A kernel module's exports, as a `bind` function reads them. */
export interface KernelExports {
  /** The module's memory's buffer at instantiation (a module that grows its memory reads `memory`). */
  readonly buffer: ArrayBuffer;
  /** The module's memory. */
  readonly memory: WebAssembly.Memory;
  /** An exported global's value: a block's byte offset or its length. */
  global(name: string): number;
  /** `length` f32 values from the byte offset held by the exported global `at`. */
  f32(at: string, length: number): Float32Array;
  /** An exported function. */
  fn(name: string): (...args: number[]) => number;
}

/**
 * @internal A kernel getter: `kernel(...arrays)` is what `bind` makes of the module's exports (instantiated
 * on the first call that gets that far) when every one of `arrays` is a Float32Array and this runtime runs
 * the module; null otherwise.
 */
export function lazyKernel<K>(
  bytes: () => Uint8Array,
  bind: (e: KernelExports) => K,
): (...arrays: unknown[]) => K | null {
  // undefined: not tried yet; null: this runtime cannot run it.
  let kernel: K | null | undefined;
  return (...arrays) => {
    for (const a of arrays) if (!(a instanceof Float32Array)) return null;
    if (kernel === undefined) kernel = instantiate(bytes, bind);
    return kernel;
  };
}

function instantiate<K>(bytes: () => Uint8Array, bind: (e: KernelExports) => K): K | null {
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes() as BufferSource), {});
    const e = instance.exports as Record<string, unknown>;
    const memory = e.memory as WebAssembly.Memory;
    const buffer = memory.buffer;
    const global = (name: string) => (e[name] as WebAssembly.Global).value as number;
    return bind({
      buffer,
      memory,
      global,
      f32: (at, length) => new Float32Array(buffer, global(at), length),
      fn: (name) => e[name] as (...args: number[]) => number,
    });
  } catch {
    return null; // no WebAssembly SIMD here
  }
}
