// Element types. A dtype is a short string so that it prints, serialises and compares without ceremony.
import { DTypeError } from "./errors.js";

/** Every element type a tensor can have. `"f32"` is the default everywhere. */
export const DTYPES = ["f32", "f64", "f16", "i32", "u32", "u8", "bool"] as const;

/**
 * The element type of a tensor.
 *
 * `"f32"` is the default; `"f64"` exists on the CPU only; `"f16"` where a device supports it; `"bool"` is
 * stored one byte per element.
 *
 * @example
 * const t = zeros([2, 2], { dtype: "f64" }); t.dtype; // "f64"
 */
export type DType = (typeof DTYPES)[number];

/** The typed array that holds a dtype's values on the host. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Uint16Array;

/** The typed arrays each dtype reads back as (`f16` comes back as raw IEEE half bits in a Uint16Array). */
export interface DTypeArrays {
  f32: Float32Array;
  f64: Float64Array;
  f16: Uint16Array;
  i32: Int32Array;
  u32: Uint32Array;
  u8: Uint8Array;
  bool: Uint8Array;
}

type ArrayCtor = {
  new (n: number): TypedArray;
  new (src: ArrayLike<number>): TypedArray;
  BYTES_PER_ELEMENT: number;
};

const CTORS: Record<DType, ArrayCtor> = {
  f32: Float32Array,
  f64: Float64Array,
  f16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  u8: Uint8Array,
  bool: Uint8Array,
};

/**
 * The typed-array constructor that stores a dtype on the host.
 *
 * @example
 * new (arrayCtor("i32"))(4); // Int32Array(4)
 */
export function arrayCtor(dtype: DType): ArrayCtor {
  const c = CTORS[dtype];
  if (c === undefined)
    throw new DTypeError(`unknown dtype ${String(dtype)}; expected one of ${DTYPES.join(", ")}.`);
  return c;
}

/**
 * Bytes per element of a dtype.
 *
 * @example
 * bytesPerElement("f32"); // 4
 */
export function bytesPerElement(dtype: DType): number {
  return arrayCtor(dtype).BYTES_PER_ELEMENT;
}

/** Whether `x` names a dtype. */
export function isDType(x: unknown): x is DType {
  return typeof x === "string" && (DTYPES as readonly string[]).includes(x);
}

/** Whether a dtype is a floating-point type (the differentiable ones). */
export function isFloat(dtype: DType): boolean {
  return dtype === "f32" || dtype === "f64" || dtype === "f16";
}

const INTEGER_RANGES: Partial<Record<DType, readonly [number, number]>> = {
  i32: [-(2 ** 31), 2 ** 31 - 1],
  u32: [0, 2 ** 32 - 1],
  u8: [0, 255],
};

/** The integers an integer dtype holds, `[lo, hi]`; `undefined` for the float dtypes and bool. */
export function integerRange(dtype: DType): readonly [number, number] | undefined {
  return INTEGER_RANGES[dtype];
}

const RANK: Record<DType, number> = { bool: 0, u8: 1, u32: 2, i32: 3, f16: 4, f32: 5, f64: 6 };

/**
 * The dtype two operands are computed in: the wider of the two (bool < u8 < u32 < i32 < f16 < f32 < f64).
 *
 * Unlike Julia, integers mixed with floats take the float type, so `mul(x, mask)` with a bool mask keeps
 * `x`'s f32.
 *
 * @example
 * promoteTypes("f32", "bool"); // "f32"
 */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Converts an IEEE half-precision bit pattern to a number. Used to read `f16` data on the host.
 */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/**
 * Converts a number to the nearest IEEE half-precision bit pattern (round to nearest even).
 */
export function floatToHalf(v: number): number {
  f32Scratch[0] = v;
  const x = u32Scratch[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  e = half; // carry into the exponent is the correct rounding (up to infinity)
  return sign | e;
}
