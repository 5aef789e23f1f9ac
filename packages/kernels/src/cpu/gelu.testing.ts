// The f64 references of gelu (the tanh form, NNlib's default) and of its derivative, which the tests of the
// CPU kernels (the JS loops and the wasm SIMD kernels) compare against. Test support only: nothing in the
// package imports it.

const C = Math.sqrt(2 / Math.PI);
const K = 0.044715;

/** gelu(v) = 0.5 v (1 + tanh(C (v + K v³))) in f64. */
export const geluRef = (v: number): number => 0.5 * v * (1 + Math.tanh(C * (v + K * v * v * v)));

/** gelu'(v) in f64. */
export const geluGradRef = (v: number): number => {
  const t = Math.tanh(C * (v + K * v * v * v));
  return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C * (1 + 3 * K * v * v);
};
