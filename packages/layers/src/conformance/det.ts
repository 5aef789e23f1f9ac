// Deterministic test values, computed the same way here and in ./make_fixtures.py (numpy), so that the
// PyTorch reference numbers in ./fixtures.ts are for exactly the tensors the suite builds.

/** How a tensor's values are drawn from `s = sin(0.9 i + 1.7 seed + 0.3)` (i = column-major index). */
export type DetKind =
  /** `scale * s / 2`: reals in [-scale/2, scale/2]. */
  | "real"
  /** `0.5 + 0.45 s`: probabilities in (0.05, 0.95). */
  | "unit"
  /** `1 + 0.5 s`: positives in [0.5, 1.5]. */
  | "positive"
  /** `s >= 0 ? 1 : 0`: binary labels. */
  | "binary"
  /** `s >= 0 ? 1 : -1`: ±1 labels. */
  | "sign";

/** One named tensor of a conformance case. */
export interface DetSpec {
  readonly shape: readonly number[];
  readonly seed: number;
  readonly kind?: DetKind;
  /** For "real": the spread (default 1). */
  readonly scale?: number;
}

/** The values of `spec`, column-major. @example detValues({ shape: [2, 3], seed: 1 }) */
export function detValues(spec: DetSpec): Float64Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = Math.sin(0.9 * i + 1.7 * spec.seed + 0.3);
    switch (spec.kind ?? "real") {
      case "real":
        out[i] = ((spec.scale ?? 1) * s) / 2;
        break;
      case "unit":
        out[i] = 0.5 + 0.45 * s;
        break;
      case "positive":
        out[i] = 1 + 0.5 * s;
        break;
      case "binary":
        out[i] = s >= 0 ? 1 : 0;
        break;
      case "sign":
        out[i] = s >= 0 ? 1 : -1;
        break;
    }
  }
  return out;
}
