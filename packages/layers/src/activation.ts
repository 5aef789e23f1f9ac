// Activation functions as Flux prints them: NNlib's names, with `sigmoid` shown as `σ`.
import {
  add,
  elu,
  gelu,
  leakyrelu,
  logsoftmax,
  relu,
  sigmoid,
  softmax,
  softplus,
  swish,
  tanh,
  vcat,
} from "@flux/kernels";
import { identityFn } from "./identity.js";

const JULIA_NAMES: Readonly<Record<string, string>> = { sigmoid: "σ", σ: "σ", identityFn: "identity" };

// The functions layers print most, known by identity: a bundler that renames a binding (esbuild makes
// `tanh` into `tanh3` when another module has a `tanh`) also changes the function's inferred `name`.
const KNOWN = new Map<unknown, string>([
  [identityFn, "identity"],
  [sigmoid, "σ"],
  ...Object.entries({
    add,
    elu,
    gelu,
    leakyrelu,
    logsoftmax,
    relu,
    softmax,
    softplus,
    swish,
    tanh,
    vcat,
  }).map(([name, f]) => [f, name] as [unknown, string]),
]);

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
  const known = KNOWN.get(f);
  if (known !== undefined) return known;
  if (typeof f !== "function") return String(f);
  const name = f.name;
  if (name === "") return "#fn";
  return JULIA_NAMES[name] ?? name;
}
