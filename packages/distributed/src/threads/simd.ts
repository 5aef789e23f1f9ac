// The threads arena's sum kernel in WebAssembly SIMD: `out[i] = a[i] + b[i]` over f32 or f64, four (two)
// lanes at a time, on the arena itself (a shared WebAssembly.Memory). V8 does not vectorize the same JS loop,
// which made the reduction, not the copies, the cost of a threads allreduce. The module is a few hundred
// bytes, assembled here so that the package ships no binary; where wasm SIMD or shared wasm memory is
// missing, the arena keeps its JS loop.

/** `add(out, a, b, n)`: byte offsets into the memory, `n` elements; `out` may alias `a`. */
export type SumKernel = (out: number, a: number, b: number, n: number) => void;

/** The f32 and f64 sum kernels over `memory`, or `null` where they cannot be built. */
export function sumKernels(memory: WebAssembly.Memory): { f32: SumKernel; f64: SumKernel } | null {
  try {
    const module = new WebAssembly.Module(moduleBytes());
    const instance = new WebAssembly.Instance(module, { env: { mem: memory } });
    const { add_f32, add_f64 } = instance.exports as { add_f32: SumKernel; add_f64: SumKernel };
    return { f32: add_f32, f64: add_f64 };
  } catch {
    return null;
  }
}

/** A shared wasm memory of at least `bytes` (whole 64 KiB pages), or `null` where there is none. */
export function sharedMemory(bytes: number): WebAssembly.Memory | null {
  try {
    const pages = Math.ceil(bytes / 65536);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    return memory.buffer instanceof SharedArrayBuffer ? memory : null;
  } catch {
    return null;
  }
}

// Opcodes (https://webassembly.github.io/spec/core/binary/instructions.html).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_SHR_U = 0x76;
const I32_GE_U = 0x4f;
const BLOCK = 0x02;
const LOOP = 0x03;
const VOID = 0x40;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const SIMD = 0xfd;

/** Unsigned LEB128 (the values here are small and non-negative, where it equals the signed form). */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

const str = (s: string) => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];

/**
 * One kernel's body. Params 0 out, 1 a, 2 b, 3 n; locals 4 end, 5 vectorEnd. `shift` is log2 of the element
 * size; `lanes` log2 of the elements per 16-byte vector; the scalar load/store/add opcodes and the SIMD add.
 */
function kernelBody(shift: number, lanes: number, load: number, store: number, add: number, vadd: number[]) {
  const step = (local: number, by: number) => [
    LOCAL_GET,
    local,
    I32_CONST,
    ...leb(by),
    I32_ADD,
    LOCAL_SET,
    local,
  ];
  const scalarMem = [shift, 0]; // memarg: natural alignment, offset 0
  const vectorMem = [0, 0]; // memarg: no alignment promised (a rank's slice may start anywhere)
  const code = [
    // end = out + (n << shift); vectorEnd = out + ((n >> lanes) << 4)
    ...[LOCAL_GET, 0, LOCAL_GET, 3, I32_CONST, shift, I32_SHL, I32_ADD, LOCAL_SET, 4],
    ...[
      LOCAL_GET,
      0,
      LOCAL_GET,
      3,
      I32_CONST,
      lanes,
      I32_SHR_U,
      I32_CONST,
      4,
      I32_SHL,
      I32_ADD,
      LOCAL_SET,
      5,
    ],
    // while (out < vectorEnd) { v128.store(out, add(v128.load(a), v128.load(b))); out += 16; a += 16; b += 16 }
    ...[BLOCK, VOID, LOOP, VOID, LOCAL_GET, 0, LOCAL_GET, 5, I32_GE_U, BR_IF, 1],
    ...[LOCAL_GET, 0, LOCAL_GET, 1, SIMD, 0x00, ...vectorMem, LOCAL_GET, 2, SIMD, 0x00, ...vectorMem],
    ...[SIMD, ...vadd, SIMD, 0x0b, ...vectorMem],
    ...step(0, 16),
    ...step(1, 16),
    ...step(2, 16),
    ...[BR, 0, END, END],
    // while (out < end) { store(out, load(a) + load(b)); out += size; ... }
    ...[BLOCK, VOID, LOOP, VOID, LOCAL_GET, 0, LOCAL_GET, 4, I32_GE_U, BR_IF, 1],
    ...[
      LOCAL_GET,
      0,
      LOCAL_GET,
      1,
      load,
      ...scalarMem,
      LOCAL_GET,
      2,
      load,
      ...scalarMem,
      add,
      store,
      ...scalarMem,
    ],
    ...step(0, 1 << shift),
    ...step(1, 1 << shift),
    ...step(2, 1 << shift),
    ...[BR, 0, END, END],
    END,
  ];
  const locals = vec([[2, 0x7f]]); // two i32 locals
  return [...leb(locals.length + code.length), ...locals, ...code];
}

let bytes: Uint8Array<ArrayBuffer> | undefined;

function moduleBytes(): Uint8Array<ArrayBuffer> {
  if (bytes) return bytes;
  const i32 = 0x7f;
  const type = [0x60, ...vec([[i32], [i32], [i32], [i32]]), 0x00]; // (i32 x4) -> ()
  const memoryImport = [...str("env"), ...str("mem"), 0x02, 0x03, ...leb(0), ...leb(65536)]; // shared, max 4 GiB
  bytes = new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([type])),
    ...section(2, vec([memoryImport])),
    ...section(3, vec([[0], [0]])),
    ...section(
      7,
      vec([
        [...str("add_f32"), 0x00, 0],
        [...str("add_f64"), 0x00, 1],
      ]),
    ),
    ...section(
      10,
      vec([
        kernelBody(2, 2, 0x2a, 0x38, 0x92, [0xe4, 0x01]), // f32.load, f32.store, f32.add, f32x4.add
        kernelBody(3, 1, 0x2b, 0x39, 0xa0, [0xf0, 0x01]), // f64.load, f64.store, f64.add, f64x2.add
      ]),
    ),
  ]);
  return bytes;
}
