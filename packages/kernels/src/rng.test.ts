import { describe, expect, it } from "vitest";
import { rand, randn } from "./ops/creation.js";
import { defaultRng, rng, setDefaultRng } from "./rng.js";

describe("rng", () => {
  it("reproduces a stream from a seed", () => {
    const a = rng(42);
    const b = rng(42);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(rng(43).uniform()).not.toBe(xs[0]);
    expect(Array.from(rand([3], { rng: rng(1) }).dataSync())).toEqual(
      Array.from(rand([3], { rng: rng(1) }).dataSync()),
    );
  });

  it("splits into independent streams and clones state", () => {
    const r = rng(5);
    const child = r.split();
    const c = r.clone();
    expect(c.uniform()).toBe(r.uniform());
    expect(child.uniform()).not.toBe(rng(5).uniform());
  });

  it("draws uniform in [0, 1) and standard normals", () => {
    const r = rng(9);
    const u = Array.from({ length: 20000 }, () => r.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 1);
    const z = Array.from(randn([20000], { rng: rng(3), dtype: "f64" }).dataSync());
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.95);
    expect(variance).toBeLessThan(1.05);
  });

  it("saves and restores its state as JSON (checkpoints), spare normal included", () => {
    const r = rng(21);
    r.normal(); // leaves a cached second normal
    const saved = JSON.parse(JSON.stringify(r.getState()));
    const next = [r.normal(), r.uniform(), r.nextUint32()];
    const other = rng(0).setState(saved);
    expect([other.normal(), other.uniform(), other.nextUint32()]).toEqual(next);
    r.setState(saved);
    expect(r.normal()).toBe(next[0]);
    for (const bad of [
      { words: [0, 0, 0, 0], spare: null },
      { words: [1, 2, 3] },
      { words: [1, 2, 3, -1] },
      null,
    ])
      expect(() => rng(1).setState(bad as never)).toThrow(/setState/);
  });

  it("uses a replaceable default generator", () => {
    setDefaultRng(rng(11));
    const first = rand([2]).dataSync();
    setDefaultRng(rng(11));
    expect(Array.from(rand([2]).dataSync())).toEqual(Array.from(first));
    expect(defaultRng()).toBeDefined();
  });
});
