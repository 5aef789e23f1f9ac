// Test-only (not shipped: package.json leaves out *.fixture.ts): IDX files made in memory for the reader's
// tests, so each test file builds them the same way.

/**
 * An IDX file: the header (two zero bytes, the type byte, the dim count, each dim big-endian) then `payload`.
 *
 * @example
 * readIdx(idxBytes(0x08, [2, 2], [1, 2, 3, 4])); // a 2×2 u8 array
 */
export function idxBytes(type: number, dims: readonly number[], payload: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const v = new DataView(out.buffer);
  out.set([0, 0, type, dims.length]);
  for (const [i, d] of dims.entries()) v.setUint32(4 + 4 * i, d, false);
  out.set(payload, 4 + 4 * dims.length);
  return out;
}
