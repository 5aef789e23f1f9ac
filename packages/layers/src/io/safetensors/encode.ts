// The safetensors writer: an 8-byte little-endian header length, a JSON header padded with spaces to a
// multiple of 8 (so data starts aligned), then the entries' bytes back to back.

/** One entry to write. */
export interface EncodeEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/**
 * Encodes entries (in the given order) and string metadata as safetensors bytes.
 */
export function encodeSafetensors(
  entries: readonly EncodeEntry[],
  metadata: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let at = 0;
  for (const e of entries) {
    // defineProperty, not assignment: a name like "__proto__" must become a key, not a prototype.
    Object.defineProperty(header, e.name, {
      value: { dtype: e.dtype, shape: e.shape, data_offsets: [at, at + e.bytes.length] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    at += e.bytes.length;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - ((8 + headerBytes.length) % 8)) % 8;
  if (pad > 0) {
    json += " ".repeat(pad);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + at);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerBytes.length / 2 ** 32), true);
  out.set(headerBytes, 8);
  let p = 8 + headerBytes.length;
  for (const e of entries) {
    out.set(e.bytes, p);
    p += e.bytes.length;
  }
  return out;
}
