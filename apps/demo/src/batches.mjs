// Mini-batches over column-major data (one observation per column of `features` values). With @flux/data
// built this is its DataLoader; the fallback below does the same: a fresh shuffle per epoch from a seeded
// generator, the short last batch kept (MLUtils' `partial = true`).

/** A small seeded generator (mulberry32) for the shuffles, so a `--seed` run repeats exactly. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Yields `{ x, labels, n }` batches: `x` a Float32Array of `features * n` values, `labels` a Uint8Array.
 *
 * @example
 * for (const b of batches(train, 64, { shuffle: true, random: seededRandom(1) })) step(b);
 */
export function* batches({ x, labels, features, n }, batchsize, { shuffle = false, random } = {}) {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  if (shuffle) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
  }
  for (let start = 0; start < n; start += batchsize) {
    const size = Math.min(batchsize, n - start);
    const bx = new Float32Array(features * size);
    const bl = new Uint8Array(size);
    for (let k = 0; k < size; k++) {
      const j = order[start + k];
      bx.set(x.subarray(j * features, (j + 1) * features), k * features);
      bl[k] = labels[j];
    }
    yield { x: bx, labels: bl, n: size };
  }
}

/** How many batches `batches` yields for `n` observations. */
export function batchCount(n, batchsize) {
  return Math.ceil(n / batchsize);
}
