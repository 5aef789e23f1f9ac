// Run-time feature checks for choosing the CPU GEMM kernel. Each is cheap and memoised by its caller.

// A minimal module whose one function returns f32x4.relaxed_madd(0, 0, 0) (opcode 0xfd 0x105). It validates
// exactly where relaxed SIMD is enabled: Node >= 22, Bun, Deno, Chrome >= 114; Node 20 only with
// `--experimental-wasm-relaxed-simd`.
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // header
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, // type section: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, // function section
  0x0a,
  0x3d,
  0x01,
  0x3b,
  0x00, // code section, one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // three v128.const 0
  0xfd,
  0x85,
  0x02, // f32x4.relaxed_madd
  0x0b, // end
]);

/** True when this runtime validates relaxed-SIMD WebAssembly. */
export function relaxedSimdSupported(): boolean {
  return WebAssembly.validate(RELAXED_SIMD_PROBE);
}

/**
 * True when a shared WebAssembly.Memory can be created AND handed to workers: browsers allow the latter only
 * in cross-origin-isolated pages (COOP/COEP headers); Node, Bun and Deno always do.
 */
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer === "undefined") return false;
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return false;
  try {
    return (
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer
    );
  } catch {
    return false;
  }
}

/** True when this thread may block in Atomics.wait (not a browser's main thread). */
export function canBlockOnAtomics(): boolean {
  if (typeof SharedArrayBuffer === "undefined") return false;
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 0);
    return true;
  } catch {
    return false;
  }
}

/** Logical CPU count, where the runtime tells it (navigator.hardwareConcurrency or node:os), else 1. */
export function hardwareThreads(): number {
  const fromNavigator = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  if (fromNavigator) return fromNavigator;
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>("node:os");
  return os ? (os.availableParallelism?.() ?? os.cpus().length) : 1;
}

/**
 * A Node built-in module loaded synchronously (`process.getBuiltinModule`: Node >= 20.16, Bun, Deno), or
 * undefined elsewhere (browsers). Synchronous on purpose: sgemm is synchronous and works from its first call.
 */
export function nodeBuiltin<T>(id: string): T | undefined {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return process?.getBuiltinModule?.(id) as T | undefined;
}
