// The IDX format of (Fashion-)MNIST: a magic number (two zero bytes, a type code, the rank), one big-endian
// u32 per dim, then the data in row-major (C) order. Only the u8 type is needed here.
import { gunzipSync } from "node:zlib";

/** Raised for a file that is not an IDX u8 file. */
export class IdxFormatError extends Error {
  name = "IdxFormatError";
  code = "DEMO_BAD_IDX";
}

/**
 * Decodes IDX bytes (gzip-compressed or plain) into `{ dims, data }`; dims in the file's (row-major) order.
 *
 * @example
 * const { dims, data } = decodeIdx(readFileSync("train-images-idx3-ubyte.gz")); // dims [60000, 28, 28]
 */
export function decodeIdx(raw, name = "IDX data") {
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? new Uint8Array(gunzipSync(raw)) : new Uint8Array(raw);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== 0x08) {
    throw new IdxFormatError(`[demo] ${name} is not an IDX file of unsigned bytes (bad magic number).`);
  }
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const start = 4 + 4 * rank;
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length < start + count) {
    throw new IdxFormatError(
      `[demo] ${name} is truncated: dims [${dims.join(", ")}] need ${count} bytes, found ${bytes.length - start}.`,
    );
  }
  return { dims, data: bytes.subarray(start, start + count) };
}
