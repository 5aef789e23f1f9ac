// Flux's `_match_eltype`: a layer with parameters converts an input of another element type to theirs, so
// that `Dense` on f64 or integer data computes (in the parameters' precision) instead of failing in matmul.
import { bytesPerElement, cast, type DType, isFloat, type Tensor } from "@flux/kernels";

let warned = false;

/**
 * `x` converted to the parameters' float `dtype`, for a layer where {@link needsEltype} holds (the caller
 * frees the copy, e.g. inside `tidy`). Integer and bool data are converted silently, as Flux does. A
 * float input is converted too; when that loses precision (f64 data into f32 parameters) a warning is
 * printed once per process, as Flux's `maxlog=1`, because the copy is made on every call and earlier layers
 * may already have computed in the wider type.
 */
export function matchEltype(layer: { showCompact(): string }, x: Tensor, dtype: DType): Tensor {
  if (isFloat(x.dtype) && bytesPerElement(x.dtype) > bytesPerElement(dtype) && !warned) {
    warned = true;
    console.warn(
      `[@flux/layers] ${layer.showCompact()} has ${dtype} parameters but got ${x.dtype} input [${x.shape.join(", ")}]: ` +
        `the input is converted to ${dtype} on every call. Convert the data once instead, e.g. ` +
        `cast(x, "${dtype}") from @flux/kernels or ${dtype}(batch) from @flux/devices (this warning is shown once).`,
    );
  }
  return cast(x, dtype);
}

/** Whether a layer with `dtype` parameters must convert `x` first (see {@link matchEltype}). */
export function needsEltype(x: Tensor, dtype: DType): boolean {
  return x.dtype !== dtype && isFloat(dtype);
}

/** Lets the next lossy conversion warn again (tests). */
export function resetMatchEltypeWarning(): void {
  warned = false;
}
