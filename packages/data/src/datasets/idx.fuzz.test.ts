// Fuzzing the IDX reader, plain and gzipped: whatever the bytes, readIdx either returns an array that
// agrees with its header or rejects with one of our named errors; never another exception, never a hang,
// and never more decompression than the header (and maxBytes) allow. Seeded, so failures reproduce.
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError } from "../errors.js";
import { readIdx } from "./idx.js";
import { idxBytes } from "./idxBytes.fixture.js";

const TYPES: Record<number, number> = { 8: 1, 9: 1, 11: 2, 12: 4, 13: 4, 14: 8 };

/** A valid IDX file: a known type, 1-3 dims of 0-12, random values. */
const validFile = fc
  .tuple(
    fc.constantFrom(8, 9, 11, 12, 13, 14),
    fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 3 }),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  )
  .map(([type, dims, seed]) => {
    const n = dims.reduce((a, b) => a * b, 1) * TYPES[type]!;
    const payload = new Uint8Array(n).map((_, i) => (seed >>> (i % 24)) + i);
    return idxBytes(type, dims, payload);
  });

const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));

/** Runs readIdx on `bytes`: returns normally when it loaded a consistent array or refused by name. */
async function check(bytes: Uint8Array, maxBytes?: number): Promise<void> {
  let a: Awaited<ReturnType<typeof readIdx>>;
  try {
    a = await readIdx(bytes, maxBytes === undefined ? {} : { maxBytes });
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    expect(e.message).toMatch(/^\[@flux\/data\] /);
    return;
  }
  expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
}

const runs = (n: number) => ({ numRuns: n, seed: 20261201 });

describe("readIdx under corruption", () => {
  it("truncations of plain and gzipped files", async () => {
    await fc.assert(
      fc.asyncProperty(
        validFile,
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (f, z, cut) => {
          const b = z ? gz(f) : f;
          await check(b.subarray(0, Math.floor(b.length * cut)));
        },
      ),
      runs(600),
    );
  });

  it("corrupt headers (random bytes over the magic, type, rank and dims)", async () => {
    await fc.assert(
      fc.asyncProperty(
        validFile,
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(15), fc.nat(255)), { minLength: 1, maxLength: 6 }),
        async (f, z, writes) => {
          const b = f.slice();
          for (const [i, x] of writes) if (i < b.length) b[i] = x;
          await check(z ? gz(b) : b);
        },
      ),
      runs(800),
    );
  });

  it("byte flips anywhere in the gzip stream", async () => {
    await fc.assert(
      fc.asyncProperty(
        validFile,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }),
        async (f, flips) => {
          const b = gz(f);
          for (const [i, x] of flips) b[i % b.length] ^= x;
          await check(b);
        },
      ),
      runs(800),
    );
  });

  it("bombs: headers that declare more or less than the gzip data holds, with maxBytes", async () => {
    const zeros = gz(new Uint8Array(1 << 20)); // 1 MiB per member, ~1 KiB compressed
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(8, 12, 14),
        fc.array(fc.integer({ min: 0, max: 70000 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 4000 }),
        fc.constantFrom(undefined, 1 << 16, 1 << 22),
        async (type, dims, members, extra, maxBytes) => {
          const head = gz(idxBytes(type, dims, new Uint8Array(extra)));
          const b = new Uint8Array(head.length + members * zeros.length);
          b.set(head);
          for (let i = 0; i < members; i++) b.set(zeros, head.length + i * zeros.length);
          await check(b, maxBytes);
        },
      ),
      runs(600),
    );
  });

  it("random bytes, with and without a gzip magic in front", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (b, magic) => {
        const bytes = magic ? new Uint8Array([0x1f, 0x8b, 8, 0, ...b]) : b;
        await check(bytes);
      }),
      runs(600),
    );
  });
});
