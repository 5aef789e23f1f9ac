// How a tensor is laid out in a safetensors file so that PyTorch reads the same layer. Our tensors are
// column-major; PyTorch's are row-major, so the same bytes read with the REVERSED shape give the same
// tensor, element for element, with dims in reverse order. That is exactly PyTorch's convention for
// Conv ([kW,kH,cin,cout] ↔ [cout,cin,kH,kW]), Embedding ([dim,vocab] ↔ [vocab,dim]) and vectors. Two
// layers need more: a Dense weight is nn.Linear's weight itself (not its transpose), and Flux's Conv is a
// true convolution where PyTorch cross-correlates, so its kernel is flipped spatially.

/** Per-field file layouts a layer class declares. */
export type TorchLayout = "linear" | "conv";

/** @internal The prototype key holding `{ field: TorchLayout }`. */
const TORCH_LAYOUT = Symbol.for("flux.layers.torchLayout");

/**
 * Declares that fields of a layer class are saved in a PyTorch layer's layout (see README's table).
 *
 * `"linear"`: a `[out, in]` matrix stored as nn.Linear's `[out, in]` row-major weight (an array of more dims
 * likewise, the same shape row-major: nn.Bilinear's `[out, in1, in2]`). `"conv"`: a
 * `[kW, kH, cin, cout]` kernel stored as nn.Conv2d's `[cout, cin, kH, kW]` weight, spatially flipped (1-D and
 * 3-D kernels likewise: nn.Conv1d/Conv3d).
 *
 * @example
 * torchLayout(MyDense, { weight: "linear" });
 */
// biome-ignore lint/complexity/noBannedTypes: any class
export function torchLayout(cls: Function, fields: Readonly<Record<string, TorchLayout>>): void {
  Object.defineProperty(cls.prototype, TORCH_LAYOUT, {
    value: Object.freeze({ ...fields }),
    enumerable: false,
  });
}

/** @internal The layout of `field` of `parent` (undefined: reversed shape, bytes as they are). */
export function layoutOf(parent: unknown, field: string): TorchLayout | undefined {
  if (parent === null || typeof parent !== "object") return undefined;
  const table = (parent as { [TORCH_LAYOUT]?: Record<string, TorchLayout> })[TORCH_LAYOUT];
  return table?.[field];
}

/** The shape a tensor of `shape` has in the file. */
export function fileShape(shape: readonly number[], layout: TorchLayout | undefined): number[] {
  if (layout === "linear" && shape.length >= 2) return [...shape];
  return [...shape].reverse();
}

/**
 * Our column-major element order → the file's element order (`toFile`), or back (`!toFile`).
 * Returns a new array of the same type; `values` is not modified.
 */
export function relayout<A extends { length: number; [i: number]: number }>(
  values: A,
  shape: readonly number[],
  layout: TorchLayout | undefined,
  toFile: boolean,
  make: (n: number) => A,
): A {
  if (layout === "linear" && shape.length === 2) {
    const [rows, cols] = shape as [number, number];
    const out = make(values.length);
    // ours (r, c) at r + rows*c; file row-major (r, c) at r*cols + c.
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (toFile) out[r * cols + c] = values[r + rows * c]!;
        else out[r + rows * c] = values[r * cols + c]!;
      }
    }
    return out;
  }
  if (layout === "linear" && shape.length > 2) {
    // The same logical array row-major (nn.Bilinear's [out, in1, in2] weight): ours at the column-major
    // index of (i1, i2, ...), the file's at its row-major one.
    const out = make(values.length);
    const n = shape.length;
    for (let c = 0; c < values.length; c++) {
      let rest = c;
      let r = 0;
      for (let d = 0; d < n; d++) {
        const i = rest % shape[d]!;
        rest = Math.floor(rest / shape[d]!);
        let stride = 1;
        for (let e = d + 1; e < n; e++) stride *= shape[e]!;
        r += i * stride;
      }
      if (toFile) out[r] = values[c]!;
      else out[c] = values[r]!;
    }
    return out;
  }
  if (layout === "conv" && shape.length >= 3) {
    // Flipping every spatial dim (all but the two channel dims) is its own inverse: one loop serves both
    // directions, for 1-, 2- and 3-D kernels alike.
    const spatial = shape.slice(0, -2);
    const plane = spatial.reduce((a, b) => a * b, 1);
    const flip = new Int32Array(plane);
    for (let i = 0; i < plane; i++) {
      let rest = i;
      let j = 0;
      let stride = 1;
      for (const k of spatial) {
        j += (k - 1 - (rest % k)) * stride;
        rest = Math.floor(rest / k);
        stride *= k;
      }
      flip[i] = j;
    }
    const out = make(values.length);
    for (let base = 0; base < values.length; base += plane) {
      for (let i = 0; i < plane; i++) out[base + i] = values[base + flip[i]!]!;
    }
    return out;
  }
  return values;
}
