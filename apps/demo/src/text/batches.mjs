// Random windows of the token stream: inputs are `context` tokens, targets the same window shifted by
// one. Laid out time-major per sequence ([time, batch] flattened as time + context * b) to match the
// models' `[features, time, batch]` activations.

/**
 * Draws `batchsize` windows of `context + 1` tokens from `tokens` with `rng`.
 *
 * @example
 * const { x, y } = sampleBatch(corpus.train, 64, 32, rng(1)); // x, y: Int32Array(64 * 32)
 *
 * @param {Int32Array} tokens
 * @param {number} context
 * @param {number} batchsize
 * @param {{ int(n: number): number }} rng
 */
export function sampleBatch(tokens, context, batchsize, rng) {
  const x = new Int32Array(context * batchsize);
  const y = new Int32Array(context * batchsize);
  const starts = tokens.length - context - 1;
  for (let b = 0; b < batchsize; b++) {
    const s = rng.int(starts);
    x.set(tokens.subarray(s, s + context), b * context);
    y.set(tokens.subarray(s + 1, s + context + 1), b * context);
  }
  return { x, y };
}

/**
 * Fixed evaluation windows: `count` batches that tile `tokens` without overlap, so every run (and both
 * models) is scored on the same characters. `evaluationBatchCount` is the most that fit.
 *
 * @param {Int32Array} tokens
 * @param {number} context
 * @param {number} batchsize
 * @param {number} count
 */
export function evaluationBatches(tokens, context, batchsize, count) {
  // Each window reads context + 1 tokens; more windows than fit would read past the end (and score zeros).
  const fit = Math.floor(tokens.length / ((context + 1) * batchsize));
  if (count > fit)
    throw new Error(
      `[demo] ${count} evaluation batches of ${batchsize} windows of ${context + 1} characters need ${count * batchsize * (context + 1)} characters; the text has ${tokens.length}. Ask for at most ${fit}.`,
    );
  const batches = [];
  const stride = Math.max(context + 1, Math.floor((tokens.length - context - 1) / (count * batchsize)));
  for (let k = 0; k < count; k++) {
    const x = new Int32Array(context * batchsize);
    const y = new Int32Array(context * batchsize);
    for (let b = 0; b < batchsize; b++) {
      const s = (k * batchsize + b) * stride;
      x.set(tokens.subarray(s, s + context), b * context);
      y.set(tokens.subarray(s + 1, s + context + 1), b * context);
    }
    batches.push({ x, y });
  }
  return batches;
}

/**
 * How many evaluation batches of `batchsize` windows of `context + 1` tokens fit in `tokens` without overlap.
 *
 * @param {Int32Array} tokens @param {number} context @param {number} batchsize
 */
export function evaluationBatchCount(tokens, context, batchsize) {
  return Math.floor(tokens.length / ((context + 1) * batchsize));
}
