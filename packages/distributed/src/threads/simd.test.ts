import { describe, expect, it } from "vitest";
import { sharedMemory, sumKernels } from "./simd.js";

describe("the arena's wasm SIMD sum", () => {
  it("adds f32 and f64 arrays at any offset and length, in place too, as the JS loop does", () => {
    const memory = sharedMemory(1 << 20)!;
    expect(memory).not.toBeNull();
    const k = sumKernels(memory)!;
    expect(k).not.toBeNull();
    for (const [Ctor, add] of [
      [Float32Array, k.f32],
      [Float64Array, k.f64],
    ] as const) {
      for (const n of [0, 1, 3, 4, 5, 17, 1000]) {
        for (const skew of [0, 1, 3]) {
          const size = Ctor.BYTES_PER_ELEMENT;
          const at = (k: number) => 4096 * k + skew * size;
          const a = new Ctor(memory.buffer, at(1), n);
          const b = new Ctor(memory.buffer, at(50), n);
          a.set(Array.from({ length: n }, (_, i) => i + 0.5));
          b.set(Array.from({ length: n }, (_, i) => 1000 * i - 0.25));
          const out = new Ctor(memory.buffer, at(100), n);
          add(at(100), at(1), at(50), n);
          expect(Array.from(out)).toEqual(Array.from(a, (v, i) => v + b[i]));
          add(at(1), at(1), at(50), n); // out aliases a
          expect(Array.from(a)).toEqual(Array.from(out));
        }
      }
    }
    const f = new Float32Array(memory.buffer, 0, 4);
    f.set([Number.NaN, Number.POSITIVE_INFINITY, -0, 3e38]);
    k.f32(0, 0, 0, 4);
    expect(Array.from(f)).toEqual([Number.NaN, Number.POSITIVE_INFINITY, -0, Number.POSITIVE_INFINITY]);
  });
});
