// The IDX format (LeCun's MNIST files): a 4-byte magic (0, 0, type, rank), `rank` big-endian u32 dims,
// then the values, big-endian, row-major. Read as Julia reads it: dims reversed, bytes untouched.
import { DataArgumentError, IdxFormatError } from "../errors.js";
import { gunzip, isGzip } from "./gunzip.js";

/** The element types an IDX file can hold, by their type byte. */
const IDX_TYPES = {
  8: { dtype: "u8", bytes: 1, Ctor: Uint8Array },
  9: { dtype: "i8", bytes: 1, Ctor: Int8Array },
  11: { dtype: "i16", bytes: 2, Ctor: Int16Array },
  12: { dtype: "i32", bytes: 4, Ctor: Int32Array },
  13: { dtype: "f32", bytes: 4, Ctor: Float32Array },
  14: { dtype: "f64", bytes: 8, Ctor: Float64Array },
} as const;

/** A decoded IDX array. */
export interface IdxArray {
  /** The element type, from the file's type byte. */
  readonly dtype: "u8" | "i8" | "i16" | "i32" | "f32" | "f64";
  /** Dims in JULIA order (the file's dims reversed): the MNIST images file gives `[28, 28, 60000]`. */
  readonly shape: readonly number[];
  /** The values in the file's order, which is column-major for `shape`. */
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * Decodes the bytes of an (uncompressed) IDX file.
 *
 * Checks the magic number, the type byte, the header length and that the payload is exactly as long as the
 * dims say; each failure throws IdxFormatError saying what was found. Multi-byte values are converted from
 * big-endian. The shape is reversed into Julia's order (MLDatasets reads the files the same way), so an
 * images file `[N, rows, cols]` becomes `[cols, rows, N]` with no data movement: `x[:, :, i]` is image i.
 *
 * @example
 * const { shape, data } = parseIdx(bytes); // shape [28, 28, 10000], data Uint8Array
 */
export function parseIdx(bytes: Uint8Array): IdxArray {
  if (bytes.length < 4)
    throw new IdxFormatError(`an IDX file needs at least a 4-byte header, got ${bytes.length} bytes.`);
  if (bytes[0] !== 0 || bytes[1] !== 0)
    throw new IdxFormatError(
      `bad IDX magic number: the first two bytes must be 0, got ${bytes[0]} ${bytes[1]}` +
        (isGzip(bytes) ? " (this is gzip data: use readIdx, which decompresses)." : " (not an IDX file?)."),
    );
  const type = IDX_TYPES[bytes[2] as keyof typeof IDX_TYPES];
  if (type === undefined)
    throw new IdxFormatError(
      `unknown IDX type byte 0x${bytes[2]!.toString(16).padStart(2, "0")} (known: 0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, 0x0e f64).`,
    );
  const rank = bytes[3]!;
  if (rank === 0) throw new IdxFormatError("the IDX header declares 0 dims.");
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes)
    throw new IdxFormatError(
      `the IDX header declares ${rank} dims (${headerBytes} header bytes) but the file has ${bytes.length} bytes.`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fileDims = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d, false));
  const count = fileDims.reduce((a, b) => a * b, 1);
  const payload = bytes.length - headerBytes;
  if (payload !== count * type.bytes)
    throw new IdxFormatError(
      `the IDX dims [${fileDims.join(", ")}] need ${count * type.bytes} bytes of ${type.dtype} values, but ` +
        `${payload} follow the header (${payload < count * type.bytes ? "truncated file" : "trailing bytes"}).`,
    );
  const data = new type.Ctor(count);
  if (type.bytes === 1) {
    // Int8Array.set converts each u8 modulo 256, which is exactly reinterpreting the byte as signed.
    (data as Uint8Array).set(bytes.subarray(headerBytes));
  } else {
    const read = {
      2: (o: number) => view.getInt16(o, false),
      4:
        type.dtype === "i32"
          ? (o: number) => view.getInt32(o, false)
          : (o: number) => view.getFloat32(o, false),
      8: (o: number) => view.getFloat64(o, false),
    }[type.bytes];
    for (let i = 0; i < count; i++) data[i] = read(headerBytes + i * type.bytes);
  }
  return { dtype: type.dtype, shape: fileDims.reverse(), data };
}

/**
 * Reads an IDX file, gzip-compressed or plain (recognised by its content, not its name), from bytes or a
 * path. Paths need a runtime with `node:fs` (Node, Bun, Deno); in a browser pass the bytes (e.g. from
 * `fetch`). Nothing is ever downloaded.
 *
 * @example
 * const labels = await readIdx("../shared/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
 * labels.shape; // [10000]
 */
export async function readIdx(source: Uint8Array | string): Promise<IdxArray> {
  const raw = typeof source === "string" ? await readLocalFile(source) : source;
  if (!(raw instanceof Uint8Array))
    throw new DataArgumentError("readIdx: pass a Uint8Array of the file's bytes or a file path.");
  return parseIdx(isGzip(raw) ? await gunzip(raw) : raw);
}

/** @internal Reads a local file through `node:fs` (loaded lazily, by a name bundlers leave alone). */
export async function readLocalFile(path: string): Promise<Uint8Array> {
  const moduleName = "node:fs/promises";
  let fs: { readFile(p: string): Promise<Uint8Array> };
  try {
    fs = await import(/* @vite-ignore */ moduleName);
  } catch (cause) {
    throw new DataArgumentError(
      `cannot read "${path}": this runtime has no node:fs (a browser?). Pass the file's bytes instead.`,
      { cause },
    );
  }
  const buf = await fs.readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
