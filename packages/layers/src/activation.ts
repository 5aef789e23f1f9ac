// Activation functions as Flux prints them: NNlib's names, with `sigmoid` shown as `σ`.
import { identityFn } from "./identity.js";

const JULIA_NAMES: Readonly<Record<string, string>> = { sigmoid: "σ", σ: "σ", identityFn: "identity" };

/** A function applied element-wise after a layer's affine map (`relu`, `σ`, `identity`...). */
export type Activation = (x: import("@flux/kernels").Tensor) => import("@flux/kernels").Tensor;

/**
 * The name Flux prints for an activation function (`σ` for sigmoid, `identity`, `relu`...).
 *
 * Anonymous functions print as `#fn`, like Julia's anonymous functions print as `#1`.
 *
 * @example
 * activationName(sigmoid); // "σ"
 */
export function activationName(f: unknown): string {
  if (f === identityFn) return "identity";
  if (typeof f !== "function") return String(f);
  const name = f.name;
  if (name === "") return "#fn";
  return JULIA_NAMES[name] ?? name;
}
