// `f32`, `f16`, `f64` (Flux's precision converters): float tensors (and float typed arrays) change type on
// their own device; integers, bools, scalars and everything else are untouched. Synchronous: casts enqueue.
import { type FmapOptions, fmap, fmapOptions } from "@flux/functors";
import { cast, isFloat, type Tensor } from "@flux/kernels";
import type { FloatDType } from "./eltype.js";
import { isOpaqueLeaf, isTensorLeaf } from "./leaves.js";

function convertFloats<T>(x: T, dtype: FloatDType): T {
  // The casts made so far, freed if the walk fails part way (a cycle, a disposed tensor): nothing else
  // would ever hold them.
  const made: Tensor[] = [];
  try {
    return fmap(
      (leaf: unknown) => {
        if (isTensorLeaf(leaf)) {
          if (!isFloat(leaf.dtype) || leaf.dtype === dtype) return leaf;
          const out = cast(leaf, dtype);
          made.push(out);
          return out;
        }
        if (dtype === "f32" && leaf instanceof Float64Array) return new Float32Array(leaf);
        if (dtype === "f64" && leaf instanceof Float32Array) return new Float64Array(leaf);
        return leaf;
      },
      x,
      fmapOptions<FmapOptions>({ exclude: isOpaqueLeaf }),
    );
  } catch (e) {
    for (const t of made) t.dispose();
    throw e;
  }
}

/**
 * Converts every float tensor of `x` to f32 (and `Float64Array`s to `Float32Array`s); ties are kept.
 *
 * @example
 * const m32 = f32(model64);
 */
export function f32<T>(x: T): T {
  return convertFloats(x, "f32");
}

/**
 * Converts every float tensor of `x` to f16, on its device (the device must store f16: WebGPU with
 * `shader-f16`; the CPU backend does not). Typed arrays pass through (JavaScript has no portable
 * `Float16Array` yet).
 *
 * @example
 * const mHalf = f16(await gpu(model));
 */
export function f16<T>(x: T): T {
  return convertFloats(x, "f16");
}

/**
 * Converts every float tensor of `x` to f64 (and `Float32Array`s to `Float64Array`s). f64 exists on the CPU
 * only: move GPU models to the CPU first.
 *
 * @example
 * const m64 = f64(await cpu(model));
 */
export function f64<T>(x: T): T {
  return convertFloats(x, "f64");
}
