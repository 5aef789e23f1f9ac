// The IDX format (LeCun's MNIST files): a 4-byte magic (0, 0, type, rank), `rank` big-endian u32 dims,
// then the values, big-endian, row-major. Read as Julia reads it: dims reversed, bytes untouched.
import { DataArgumentError, IdxFormatError } from "../errors.js";
import { checkMaxBytes, describeValue, isGzip } from "./gunzip.js";
import { inflateChunks, maxInflatedSize, STOP } from "./inflate.js";

/** The element types an IDX file can hold, by their type byte. */
const IDX_TYPES = {
  8: { dtype: "u8", bytes: 1, Ctor: Uint8Array },
  9: { dtype: "i8", bytes: 1, Ctor: Int8Array },
  11: { dtype: "i16", bytes: 2, Ctor: Int16Array },
  12: { dtype: "i32", bytes: 4, Ctor: Int32Array },
  13: { dtype: "f32", bytes: 4, Ctor: Float32Array },
  14: { dtype: "f64", bytes: 8, Ctor: Float64Array },
} as const;

type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES];

/** A decoded IDX array. */
export interface IdxArray {
  /** The element type, from the file's type byte. */
  readonly dtype: "u8" | "i8" | "i16" | "i32" | "f32" | "f64";
  /** Dims in JULIA order (the file's dims reversed): the MNIST images file gives `[28, 28, 60000]`. */
  readonly shape: readonly number[];
  /** The values in the file's order, which is column-major for `shape`. */
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** Options of `readIdx`. */
export interface ReadIdxOptions {
  /** Refuse files whose header declares more than this many bytes (default 2 GiB). */
  maxBytes?: number;
}

/** An IDX header: what the file declares, before any value is read. */
interface IdxHeader {
  readonly type: IdxType;
  /** The file's dims (row-major order). */
  readonly dims: readonly number[];
  readonly headerBytes: number;
  /** Header plus values: the exact size of the (decompressed) file. */
  readonly totalBytes: number;
}

/**
 * The header of `bytes` (a whole file or its first bytes), or undefined when `bytes` is too short to hold
 * it yet. Throws IdxFormatError for a bad magic number, type byte or rank as soon as they are visible.
 */
function readHeader(bytes: Uint8Array): IdxHeader | undefined {
  if (bytes.length >= 2 && (bytes[0] !== 0 || bytes[1] !== 0))
    throw new IdxFormatError(
      `bad IDX magic number: the first two bytes must be 0, got ${bytes[0]} ${bytes[1]}` +
        (isGzip(bytes) ? " (this is gzip data: use readIdx, which decompresses)." : " (not an IDX file?)."),
    );
  if (bytes.length < 4) return undefined;
  const type = IDX_TYPES[bytes[2] as keyof typeof IDX_TYPES];
  if (type === undefined)
    throw new IdxFormatError(
      `unknown IDX type byte 0x${bytes[2]!.toString(16).padStart(2, "0")} (known: 0x08 u8, 0x09 i8, 0x0b i16, 0x0c i32, 0x0d f32, 0x0e f64).`,
    );
  const rank = bytes[3]!;
  if (rank === 0) throw new IdxFormatError("the IDX header declares 0 dims.");
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d, false));
  const count = dims.reduce((a, b) => a * b, 1);
  return { type, dims, headerBytes, totalBytes: headerBytes + count * type.bytes };
}

function toBytes(fn: string, x: unknown): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  throw new DataArgumentError(
    `${fn}: pass the file's bytes (a Uint8Array or an ArrayBuffer)${fn === "readIdx" ? " or a file path" : ""}, got ${describeValue(x)}.`,
  );
}

/**
 * Decodes the bytes of an (uncompressed) IDX file, given as a Uint8Array or an ArrayBuffer.
 *
 * Checks the magic number, the type byte, the header length and that the payload is exactly as long as the
 * dims say; each failure throws IdxFormatError saying what was found. Multi-byte values are converted from
 * big-endian. The shape is reversed into Julia's order (MLDatasets reads the files the same way), so an
 * images file `[N, rows, cols]` becomes `[cols, rows, N]` with no data movement: `x[:, :, i]` is image i.
 *
 * @example
 * const { shape, data } = parseIdx(bytes); // shape [28, 28, 10000], data Uint8Array
 * parseIdx(await (await fetch(url)).arrayBuffer()); // an ArrayBuffer works too
 */
export function parseIdx(source: Uint8Array | ArrayBuffer): IdxArray {
  const bytes = toBytes("parseIdx", source);
  if (bytes.length < 4)
    throw new IdxFormatError(`an IDX file needs at least a 4-byte header, got ${bytes.length} bytes.`);
  const header = readHeader(bytes);
  if (header === undefined)
    throw new IdxFormatError(
      `the IDX header declares ${bytes[3]} dims (${4 + 4 * bytes[3]!} header bytes) but the file has ${bytes.length} bytes.`,
    );
  const { type, dims, headerBytes, totalBytes } = header;
  const count = (totalBytes - headerBytes) / type.bytes;
  const payload = bytes.length - headerBytes;
  if (bytes.length !== totalBytes)
    throw new IdxFormatError(
      `the IDX dims [${dims.join(", ")}] need ${count * type.bytes} bytes of ${type.dtype} values, but ` +
        `${payload} follow the header (${payload < count * type.bytes ? "truncated file" : "trailing bytes"}).`,
    );
  const data = new type.Ctor(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
  return { dtype: type.dtype, shape: [...dims].reverse(), data };
}

/**
 * @internal Inflates a gzipped IDX file without trusting it: the header is read and checked from the first
 * decompressed bytes, the declared size is checked against `maxBytes` and against what the compressed size
 * can hold at all, and inflation stops at the declared size; more data, or less, is an error.
 */
async function inflateIdx(gz: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  let head = new Uint8Array(0);
  let out: Uint8Array | undefined;
  let written = 0;
  let failure: IdxFormatError | undefined;
  const fail = (message: string): typeof STOP => {
    failure = new IdxFormatError(message);
    return STOP;
  };
  const onChunk = (chunk: Uint8Array): undefined | typeof STOP => {
    if (out === undefined) {
      const joined = new Uint8Array(head.length + chunk.length);
      joined.set(head);
      joined.set(chunk, head.length);
      let header: IdxHeader | undefined;
      try {
        header = readHeader(joined);
      } catch (e) {
        const why = (e as Error).message.replace(/^\[@flux\/data\] /, "");
        failure = new IdxFormatError(`the gzip data does not hold an IDX file: ${why}`, { cause: e });
        return STOP;
      }
      if (header === undefined) {
        head = joined;
        return undefined;
      }
      const declared = header.totalBytes;
      const dims = `[${header.dims.join(", ")}] ${header.type.dtype}`;
      if (declared > maxBytes)
        return fail(
          `the IDX header declares ${dims}, ${declared} bytes, more than maxBytes = ${maxBytes}; nothing more was decompressed. Pass a larger { maxBytes } if the file is genuine.`,
        );
      if (declared > maxInflatedSize(gz.length))
        return fail(
          `the IDX header declares ${dims}, ${declared} bytes, but ${gz.length} bytes of gzip can hold at most ${maxInflatedSize(gz.length)}: the header is corrupt or the file truncated.`,
        );
      out = new Uint8Array(declared);
      chunk = joined;
    }
    if (written + chunk.length > out.length)
      return fail(
        `the gzip data holds more than the ${out.length} bytes the IDX header declares; stopped there (the header is wrong or data was appended).`,
      );
    out.set(chunk, written);
    written += chunk.length;
    return undefined;
  };
  try {
    await inflateChunks(gz, onChunk);
  } catch (cause) {
    const where =
      out === undefined ? "before the IDX header" : `after ${written} of the ${out.length} declared bytes`;
    throw new IdxFormatError(`the gzip data is corrupt or truncated (${where}); re-copy the file.`, {
      cause,
    });
  }
  if (failure !== undefined) throw failure;
  if (out === undefined)
    throw new IdxFormatError(
      `the gzip data holds only ${head.length} bytes, too few for an IDX header${head.length >= 4 ? ` declaring ${head[3]} dims` : ""}.`,
    );
  if (written < out.length)
    throw new IdxFormatError(
      `the IDX header declares ${out.length} bytes but the gzip data holds only ${written} (truncated file).`,
    );
  return out;
}

/**
 * Reads an IDX file, gzip-compressed or plain (recognised by its content, not its name), from bytes or a
 * path. Paths need a runtime with `node:fs` (Node, Bun, Deno); in a browser pass the bytes (e.g. from
 * `fetch`). Nothing is ever downloaded.
 *
 * gzip data is decompressed as a stream and never trusted: the header is checked first, a declared size
 * above `maxBytes` (2 GiB) or beyond what the compressed size can hold is refused before inflating
 * further, and inflation stops at the declared size (more data or less is an IdxFormatError saying which).
 *
 * @example
 * const labels = await readIdx("data/fashion-mnist/t10k-labels-idx1-ubyte.gz");
 * labels.shape; // [10000]
 */
export async function readIdx(
  source: Uint8Array | ArrayBuffer | string,
  opts: ReadIdxOptions = {},
): Promise<IdxArray> {
  const maxBytes = checkMaxBytes("readIdx", opts.maxBytes);
  const raw = typeof source === "string" ? await readLocalFile(source) : toBytes("readIdx", source);
  return decodeIdxBytes(raw, maxBytes);
}

/** @internal Plain or gzipped IDX bytes → the array (gzip inflated with the checks of `readIdx`). */
export async function decodeIdxBytes(raw: Uint8Array, maxBytes: number): Promise<IdxArray> {
  // Plain bytes are already in memory: the limit is about what decompression would allocate.
  return parseIdx(isGzip(raw) ? await inflateIdx(raw, maxBytes) : raw);
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
