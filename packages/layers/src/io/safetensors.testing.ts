// What the safetensors corruption tests share: reading a file's header object and rebuilding a file around an
// edited one, by hand (independent of the reader under test). Test support only: nothing in the package
// imports it.

/** The JSON header object of safetensors `bytes`. */
export function headerOf(bytes: Uint8Array): Record<string, any> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

/** Rebuilds a file around a new header object, keeping the data bytes of `good`. */
export function withHeader(good: Uint8Array, header: unknown): Uint8Array {
  const n = Number(new DataView(good.buffer, good.byteOffset).getBigUint64(0, true));
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + good.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(good.subarray(8 + n), 8 + json.length);
  return out;
}
