/**
 * Flux's `SamePad()`: padding chosen so that, with stride 1, the output has the input's spatial size.
 *
 * Pass it as `pad` to `Conv`, `MaxPool` or `MeanPool`. For an odd total the low side gets the extra one
 * (Flux's `cld`/`fld` split); the dilated kernel size is taken into account; stride is not (as in Flux).
 *
 * @example
 * Conv([3, 3], 1, 8, relu, { pad: SamePad() }).forward(randn([28, 28, 1, 4])).shape; // [28, 28, 8, 4]
 */
export function SamePad(): SamePadMarker {
  return SAME_PAD;
}

/** The value `SamePad()` returns. */
export interface SamePadMarker {
  readonly kind: "SamePad";
}

const SAME_PAD: SamePadMarker = Object.freeze({ kind: "SamePad" as const });

/** @internal Whether `x` is `SamePad()`. */
export function isSamePad(x: unknown): x is SamePadMarker {
  return (
    x === SAME_PAD || (typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "SamePad")
  );
}

/** @internal Flux's `calc_padding(::SamePad, k, dilation)`: `[wLow, wHigh, hLow, hHigh]`. */
export function samePadding(
  kernel: readonly [number, number],
  dilation: readonly [number, number],
): [number, number, number, number] {
  const out: number[] = [];
  kernel.forEach((k, i) => {
    const amount = k + (k - 1) * (dilation[i]! - 1) - 1;
    out.push(Math.ceil(amount / 2), Math.floor(amount / 2));
  });
  return out as [number, number, number, number];
}
