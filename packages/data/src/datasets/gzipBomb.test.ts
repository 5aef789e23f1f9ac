// gzipped IDX files are never trusted: the header is checked from the first decompressed bytes, and
// inflation stops at the size it declares. A small file that inflates to a gigabyte costs kilobytes.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { IdxFormatError } from "../errors.js";
import { gunzip } from "./gunzip.js";
import { readIdx } from "./idx.js";
import { inflateChunks, STOP } from "./inflate.js";
import { idxBytes } from "./idxBytes.fixture.js";

const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b, { level: 9 }));

/** gzip members concatenate: `head` then `copies` × 8 MiB of zeros, about 8 KiB per member. */
function bomb(head: Uint8Array, copies: number): Uint8Array {
  const member = gz(new Uint8Array(8 << 20));
  const first = gz(head);
  const out = new Uint8Array(first.length + member.length * copies);
  out.set(first);
  for (let i = 0; i < copies; i++) out.set(member, first.length + i * member.length);
  return out;
}

async function rejection(p: Promise<unknown>): Promise<IdxFormatError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(IdxFormatError);
    return e as IdxFormatError;
  }
  throw new Error("expected a rejection");
}

describe("gzip bombs and lying headers in readIdx", () => {
  it("1 GiB of zeros behind a header declaring 16 bytes: stopped at once, saying the data is longer", async () => {
    const b = bomb(idxBytes(0x08, [16], new Uint8Array(16)), 128); // ~1 MiB of gzip, 1 GiB inflated
    expect(b.length).toBeLessThan(2 << 20);
    const t0 = performance.now();
    const e = await rejection(readIdx(b));
    expect(e.message).toMatch(/holds more than the 24 bytes the IDX header declares; stopped there/);
    expect(performance.now() - t0).toBeLessThan(3000); // inflating it all takes far longer (and 1 GiB)
  });

  it("a header declaring more than maxBytes is refused before inflating further", async () => {
    const e = await rejection(readIdx(bomb(idxBytes(0x08, [60000, 28, 28]), 8), { maxBytes: 1 << 20 }));
    expect(e.message).toMatch(/declares \[60000, 28, 28\] u8, 47040016 bytes, more than maxBytes = 1048576/);
    const huge = await rejection(readIdx(gz(idxBytes(0x0e, [4e9, 4e9]))));
    expect(huge.message).toMatch(/more than maxBytes = 2147483648/);
  });

  it("a header declaring more than the compressed size can hold is refused", async () => {
    const e = await rejection(readIdx(gz(idxBytes(0x08, [100_000_000]))));
    expect(e.message).toMatch(
      /bytes of gzip can hold at most \d+: the header is corrupt or the file truncated/,
    );
  });

  it("less data than declared, a cut gzip stream, and a non-IDX payload each say what was wrong", async () => {
    const short = await rejection(readIdx(gz(idxBytes(0x08, [1000], new Uint8Array(500)))));
    expect(short.message).toMatch(/declares 1008 bytes but the gzip data holds only 508 \(truncated file\)/);
    const whole = gz(
      idxBytes(
        0x08,
        [100_000],
        new Uint8Array(100_000).map((_, i) => i * 7),
      ),
    );
    const cut = await rejection(readIdx(whole.subarray(0, whole.length >> 1)));
    expect(cut.message).toMatch(/corrupt or truncated \(after \d+ of the 100008 declared bytes\)/);
    const notIdx = await rejection(readIdx(gz(new TextEncoder().encode("hello, world"))));
    expect(notIdx.message).toMatch(/does not hold an IDX file: bad IDX magic number/);
    const tiny = await rejection(readIdx(gz(new Uint8Array([0, 0, 8]))));
    expect(tiny.message).toMatch(/holds only 3 bytes, too few for an IDX header/);
  });

  it("genuine files still read, through both decompressors", async () => {
    const plain = idxBytes(
      0x0c,
      [3, 2],
      new Uint8Array(24).map((_, i) => i),
    );
    const a = await readIdx(gz(plain));
    expect(a.shape).toEqual([2, 3]);
    expect(a.dtype).toBe("i32");
    for (const backend of ["zlib", "streams"] as const) {
      const out: number[] = [];
      await inflateChunks(gz(plain), (c) => void out.push(...c), backend);
      expect(out).toEqual([...plain]);
    }
  });

  it("both decompressors stop within a few chunks of STOP", async () => {
    const b = bomb(new Uint8Array(0), 16); // 128 MiB
    for (const backend of ["zlib", "streams"] as const) {
      let seen = 0;
      await inflateChunks(
        b,
        (c) => {
          seen += c.length;
          return seen >= 1 << 20 ? STOP : undefined;
        },
        backend,
      );
      expect(seen, backend).toBeLessThan(4 << 20);
    }
  });

  it("gunzip has the same limit", async () => {
    const e = await rejection(gunzip(bomb(new Uint8Array(0), 4), { maxBytes: 1 << 20 }));
    expect(e.message).toMatch(/inflates to more than maxBytes = 1048576 bytes; stopped there/);
    expect(Array.from(await gunzip(gz(new Uint8Array([1, 2, 3]))))).toEqual([1, 2, 3]);
  });
});
