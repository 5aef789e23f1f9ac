// gzip decompression with the web-standard DecompressionStream (Node >= 18, Bun, Deno, browsers).
import { IdxFormatError } from "../errors.js";

/** @internal Whether `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes with `DecompressionStream("gzip")`; corrupt or truncated data throws
 * IdxFormatError with the stream's error as `cause`.
 *
 * @example
 * const raw = await gunzip(gzBytes);
 */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (cause) {
    throw new IdxFormatError("the gzip data is corrupt or truncated; re-copy the file.", { cause });
  }
}
