// A seedable, splittable PRNG (xoshiro128**, seeded through splitmix32). Random tensors are drawn on the
// host from it and uploaded, so one seed gives the same numbers on every backend.
import { ArgumentError } from "./errors.js";

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A random number generator (xoshiro128**): reproducible from a seed, cheap to split into independent
 * streams. The role of Julia's `Xoshiro(seed)`.
 *
 * @example
 * const r = rng(42);
 * rand([2, 2], { rng: r }); // the same numbers every run
 * const child = r.split();  // an independent stream (e.g. for a data loader)
 */
export class Rng {
  #s: Uint32Array;
  #spare: number | null = null;

  /** @internal Use `rng(seed)`. */
  constructor(state: Uint32Array) {
    this.#s = state;
  }

  /** The next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal float (Box–Muller, both values used). */
  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in `[0, n)`. */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A new generator whose stream is independent of this one's (this one advances). */
  split(): Rng {
    return rng(this.nextUint32() ^ Math.imul(this.nextUint32(), 0x9e3779b1));
  }

  /**
   * The generator's whole state as plain JSON-able data (four 32-bit words and the cached normal), for
   * checkpoints; `setState` puts it back.
   *
   * @example
   * const saved = r.getState(); r.uniform(); r.setState(saved); // r repeats the same number
   */
  getState(): RngState {
    return { words: [this.#s[0]!, this.#s[1]!, this.#s[2]!, this.#s[3]!], spare: this.#spare };
  }

  /**
   * Restores a state from `getState` (of this or any generator) in place; returns this generator.
   *
   * @example
   * loaderRng.setState(JSON.parse(saved)); // the loader shuffles as it did when saved
   */
  setState(state: RngState): this {
    const words = (state as { words?: unknown } | null)?.words;
    const spare = (state as { spare?: unknown } | null)?.spare ?? null;
    if (
      !Array.isArray(words) ||
      words.length !== 4 ||
      !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) ||
      words.every((w) => w === 0) ||
      !(spare === null || (typeof spare === "number" && Number.isFinite(spare)))
    ) {
      throw new ArgumentError(
        "Rng.setState: expected { words: four uint32 values, not all 0; spare: number | null } from getState().",
      );
    }
    this.#s.set(words as number[]);
    this.#spare = spare as number | null;
    return this;
  }

  /** A copy in the same state (both then produce the same numbers). */
  clone(): Rng {
    const c = new Rng(this.#s.slice());
    c.#spare = this.#spare;
    return c;
  }
}

/** What `Rng.getState()` returns: xoshiro128**'s four state words and Box–Muller's cached value. */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  readonly spare: number | null;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A new seeded generator (xoshiro128**). Same seed, same stream, on every runtime and backend.
 *
 * @example
 * const a = rng(1), b = rng(1);
 * a.uniform() === b.uniform(); // true
 */
export function rng(seed: number = Math.floor(Math.random() * 2 ** 32)): Rng {
  if (!Number.isFinite(seed))
    throw new ArgumentError(`rng(seed): the seed must be a finite number, got ${seed}.`);
  const st = { s: Math.trunc(seed) | 0 };
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) s[i] = splitmix32(st);
  if (s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0) s[0] = 1;
  return new Rng(s);
}

let defaultGenerator: Rng | null = null;

/**
 * The generator used when an op gets no `rng` option (seeded randomly at first use, like Julia's
 * task-local RNG).
 *
 * @example
 * setDefaultRng(rng(0)); // make every later rand/randn/dropout reproducible
 */
export function defaultRng(): Rng {
  defaultGenerator ??= rng();
  return defaultGenerator;
}

/** Replaces the default generator (`Random.seed!` in Julia). @example setDefaultRng(rng(123)); */
export function setDefaultRng(r: Rng): void {
  defaultGenerator = r;
}

// An Rng keeps its state in private fields, which a structure walk cannot copy: mark it a leaf (the
// cross-package functors protocol) so `fmap` and device transfers pass it through as one object.
Object.defineProperty(Rng.prototype, Symbol.for("flux.leaf"), { value: true });
