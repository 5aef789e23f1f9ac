// gzip decompression with a size limit: inflated a chunk at a time (inflate.ts) and stopped at the limit,
// so a small file that claims gigabytes costs at most the limit, never the claim.
import { DataArgumentError, IdxFormatError } from "../errors.js";
import { inflateChunks, STOP } from "./inflate.js";

/** @internal Whether `bytes` start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The default `maxBytes` of `gunzip` and `readIdx`: 2 GiB, above any IDX dataset in common use. */
export const DEFAULT_MAX_INFLATED_BYTES = 2 ** 31;

/** Options of `gunzip`. */
export interface GunzipOptions {
  /** Refuse to inflate more than this many bytes (default 2 GiB). */
  maxBytes?: number;
}

/** @internal Checks a `maxBytes` option. */
export function checkMaxBytes(fn: string, maxBytes: unknown): number {
  if (maxBytes === undefined) return DEFAULT_MAX_INFLATED_BYTES;
  if (typeof maxBytes !== "number" || !Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new DataArgumentError(`${fn}: maxBytes must be a non-negative integer, got ${String(maxBytes)}.`);
  return maxBytes;
}

/**
 * Decompresses gzip bytes, a chunk at a time, and refuses (IdxFormatError) data that inflates past
 * `maxBytes` as soon as it does, without inflating the rest. Corrupt or truncated data throws
 * IdxFormatError with the decompressor's error as `cause`.
 *
 * @example
 * const raw = await gunzip(gzBytes);
 * const small = await gunzip(gzBytes, { maxBytes: 1 << 20 }); // at most 1 MiB
 */
export async function gunzip(bytes: Uint8Array, opts: GunzipOptions = {}): Promise<Uint8Array> {
  if (!(bytes instanceof Uint8Array))
    throw new DataArgumentError(`gunzip: pass a Uint8Array of gzip data, got ${describeValue(bytes)}.`);
  const limit = checkMaxBytes("gunzip", opts.maxBytes);
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  try {
    await inflateChunks(bytes, (chunk) => {
      total += chunk.length;
      if (total > limit) {
        over = true;
        return STOP;
      }
      chunks.push(chunk.slice());
      return undefined;
    });
  } catch (cause) {
    throw new IdxFormatError(
      `the gzip data is corrupt or truncated (after ${total} decompressed bytes); re-copy the file.`,
      { cause },
    );
  }
  if (over)
    throw new IdxFormatError(
      `the gzip data inflates to more than maxBytes = ${limit} bytes; stopped there. Pass a larger { maxBytes } if the file is genuine.`,
    );
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** @internal A short description of a value for error messages. */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (typeof x !== "object") return `${typeof x} ${String(x).slice(0, 40)}`;
  if (typeof (x as { then?: unknown }).then === "function") return "a Promise (did you forget `await`?)";
  return x.constructor?.name ? `a ${x.constructor.name}` : "an object";
}
