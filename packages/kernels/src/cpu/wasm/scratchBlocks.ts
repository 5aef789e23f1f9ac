// The element-wise wasm kernels work in place on two scratch blocks `a` and `b` in their own memory: a long
// array is streamed through them block by block. This is that loop, shared by every such kernel.

/** Two f32 scratch blocks of equal length in a kernel's memory. */
export interface ScratchBlocks {
  a: Float32Array;
  b: Float32Array;
}

/**
 * @internal Streams `x` (into `a`) and, when given, `y` (into `b`) through the kernel's scratch blocks,
 * `run(len)` per block, and copies `a` back into `out`. All three have `out.length` elements.
 */
export function streamBlocks(
  k: ScratchBlocks,
  run: (len: number) => void,
  out: Float32Array,
  x: Float32Array,
  y?: Float32Array,
): void {
  const n = out.length;
  const block = k.a.length;
  for (let at = 0; at < n; at += block) {
    const len = Math.min(block, n - at);
    k.a.set(x.subarray(at, at + len));
    if (y !== undefined) k.b.set(y.subarray(at, at + len));
    run(len);
    out.set(len === block ? k.a : k.a.subarray(0, len), at);
  }
}
