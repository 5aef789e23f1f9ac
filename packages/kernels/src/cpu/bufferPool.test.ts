import { describe, expect, it } from "vitest";
import { memory, trim } from "../memory.js";
import { add, mul } from "../ops/elementwise.js";
import { tensor, zeros } from "../ops/creation.js";
import { CpuBufferPool } from "./bufferPool.js";

describe("CpuBufferPool", () => {
  it("reuses a freed buffer of the same size class, zero-filling only when asked", () => {
    const pool = new CpuBufferPool();
    const a = pool.take<Float32Array>(Float32Array, 3000, true);
    a.fill(7);
    pool.give(a);
    expect(pool.pooledBytes).toBe(16384);
    const b = pool.take<Float32Array>(Float32Array, 2500, true);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(2500);
    expect(b.every((v) => v === 0)).toBe(true);
    expect(pool.pooledBytes).toBe(0);
    b.fill(3);
    pool.give(b);
    const c = pool.take<Float64Array>(Float64Array, 1500, false); // another dtype, same class
    expect(c.buffer).toBe(a.buffer);
  });

  it("never recycles arrays it did not hand out, nor one buffer twice", () => {
    const pool = new CpuBufferPool();
    pool.give(new Float32Array(10000));
    expect(pool.pooledBytes).toBe(0);
    const a = pool.take<Float32Array>(Float32Array, 5000, false);
    pool.give(a);
    pool.give(a);
    expect(pool.pooledBytes).toBe(32768);
    const b = pool.take<Float32Array>(Float32Array, 5000, false);
    const c = pool.take<Float32Array>(Float32Array, 5000, false);
    expect(c.buffer).not.toBe(b.buffer);
  });

  it("keeps at most maxPooledBytes and drops everything on trim", () => {
    const pool = new CpuBufferPool(20000);
    const a = pool.take<Float32Array>(Float32Array, 4096, false);
    const b = pool.take<Float32Array>(Float32Array, 4096, false);
    pool.give(a);
    pool.give(b); // would exceed the cap
    expect(pool.pooledBytes).toBe(16384);
    pool.trim();
    expect(pool.pooledBytes).toBe(0);
  });
});

describe("CPU backend pooling through the public API", () => {
  it("reports pooled bytes in memory() truthfully and trim() releases them", () => {
    trim("cpu");
    const x = zeros([10000]);
    const y = add(x, 1);
    y.dispose();
    expect(memory("cpu").pooledBytes).toBe(65536);
    // The next op of that size reuses the buffer; its values are the op's, not the old ones.
    const z = mul(tensor([1, 2], [2]), 1);
    const w = add(x, 2);
    expect(memory("cpu").pooledBytes).toBe(0);
    expect(w.dataSync().every((v) => v === 2)).toBe(true);
    w.dispose();
    trim();
    expect(memory("cpu").pooledBytes).toBe(0);
    for (const t of [x, z]) t.dispose();
  });
});
