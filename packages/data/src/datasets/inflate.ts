// Streaming gzip decompression that the caller can stop at any point: output arrives chunk by chunk and
// the caller decides, after each chunk, whether to go on. A gzip bomb is then never inflated past the
// point where it is known to be wrong. node:zlib's streaming Gunzip is used where the runtime has it
// (Node, Bun, Deno expose it through `process.getBuiltinModule`), DecompressionStream elsewhere
// (browsers); both produce output incrementally, a few KiB at a time, and stop when told.

/** Returned by a chunk handler to stop inflating (nothing more is decompressed). */
export const STOP = Symbol("stop");

/** Gets each decompressed chunk in order; returning `STOP` ends the inflation early. */
export type ChunkHandler = (chunk: Uint8Array) => undefined | typeof STOP;

type Zlib = typeof import("node:zlib");

function nodeZlib(): Zlib | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  try {
    return p?.getBuiltinModule?.("node:zlib") as Zlib | undefined;
  } catch {
    return undefined;
  }
}

/** Feeds the compressed input in slices of this size, so the decompressor never sees it all at once. */
const INPUT_SLICE = 64 * 1024;

function inflateWithZlib(zlib: Zlib, gz: Uint8Array, onChunk: ChunkHandler): Promise<void> {
  return new Promise((resolve, reject) => {
    // 16 KiB of output per 'data' event: the most that is inflated past a STOP.
    const stream = zlib.createGunzip({ chunkSize: 16 * 1024 });
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      stream.removeAllListeners("data");
      stream.destroy();
      if (err === undefined) resolve();
      else reject(err);
    };
    stream.on("data", (chunk: Uint8Array) => {
      if (settled) return;
      let verdict: ReturnType<ChunkHandler>;
      try {
        verdict = onChunk(chunk);
      } catch (e) {
        return finish(e);
      }
      if (verdict === STOP) finish();
    });
    stream.on("error", (e) => finish(e));
    stream.on("end", () => finish());
    let at = 0;
    const feed = () => {
      while (!settled && at < gz.length) {
        const slice = gz.subarray(at, Math.min(gz.length, at + INPUT_SLICE));
        at += slice.length;
        if (!stream.write(slice)) return void stream.once("drain", feed);
      }
      if (!settled) stream.end();
    };
    feed();
  });
}

async function inflateWithStreams(gz: Uint8Array, onChunk: ChunkHandler): Promise<void> {
  const reader = new Blob([gz as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("gzip"))
    .getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    let verdict: ReturnType<ChunkHandler>;
    try {
      verdict = onChunk(value);
    } catch (e) {
      await reader.cancel().catch(() => {});
      throw e;
    }
    if (verdict === STOP) {
      await reader.cancel().catch(() => {});
      return;
    }
  }
}

/**
 * @internal Decompresses gzip `gz`, handing each output chunk to `onChunk` until it returns `STOP` or the
 * data ends. Rejects with the decompressor's own error for corrupt or truncated data.
 */
export function inflateChunks(
  gz: Uint8Array,
  onChunk: ChunkHandler,
  backend?: "zlib" | "streams",
): Promise<void> {
  const zlib = backend === "streams" ? undefined : nodeZlib();
  if (backend === "zlib" && zlib === undefined) throw new Error("node:zlib is not available here");
  return zlib !== undefined ? inflateWithZlib(zlib, gz, onChunk) : inflateWithStreams(gz, onChunk);
}

/**
 * The most bytes `compressed` bytes of gzip can inflate to: deflate's best ratio is 1032:1 (a run of one
 * byte value), plus slack for the gzip header and the final block.
 */
export function maxInflatedSize(compressed: number): number {
  return compressed * 1032 + 1024;
}
