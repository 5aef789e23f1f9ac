// Regenerates the small Fashion-MNIST subset shipped in apps/demo/data/ (the demo's out-of-the-box data):
//   node apps/demo/scripts/make-subset.mjs [SOURCE_DIR] [--train N] [--test N]
// SOURCE_DIR holds the four original IDX .gz files (default: $FLUX_FASHION_MNIST_DIR, else
// shared/datasets/fashion-mnist next to the repository; tooling/fixtures.mjs). It keeps the FIRST N images
// and labels of each split, in order, re-encoded as IDX .gz, and copies the dataset's COPYRIGHT (MIT) beside them. 10,000 + 1,000 images keep the folder under 5 MB.
// apps/playground/scripts/make-subset.mjs imports `makeSubsetCli` from here with its own folder, counts and
// size cap, so the IDX re-encoding lives in this one file.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { fashionMnistDir } from "../../../tooling/fixtures.mjs";

const here = dirname(fileURLToPath(import.meta.url));
/** Where the original dataset sits when no SOURCE_DIR is given (the repo's one Fashion-MNIST locator). */
const DEFAULT_SOURCE = fashionMnistDir();

/**
 * Re-encodes the first `train` / `test` items of each Fashion-MNIST split from `source` into `out` (IDX .gz,
 * plus COPYRIGHT) and throws when the folder ends up over `maxBytes`.
 *
 * @example
 * makeSubset({ source: fashionMnistDir(), out: "data", train: 10_000, test: 1_000, maxBytes: 5e6 });
 *
 * @param {{ source: string, out: string, train: number, test: number, maxBytes: number }} options
 */
export function makeSubset({ source, out, train, test, maxBytes }) {
  /** @type {Record<string, number>} */
  const counts = { train, t10k: test };
  mkdirSync(out, { recursive: true });
  let total = 0;
  for (const split of ["train", "t10k"]) {
    for (const kind of ["images-idx3", "labels-idx1"]) {
      const file = `${split}-${kind}-ubyte.gz`;
      const gz = subsetIdx(join(source, file), counts[split]);
      writeFileSync(join(out, file), gz);
      total += gz.length;
      console.log(`make-subset: ${file}: ${counts[split]} items, ${gz.length} bytes`);
    }
  }
  copyFileSync(join(source, "COPYRIGHT"), join(out, "COPYRIGHT"));
  chmodSync(join(out, "COPYRIGHT"), 0o644); // the shared copy is read-only; keep ours rewritable
  total += statSync(join(out, "COPYRIGHT")).size;
  console.log(`make-subset: ${out}: ${(total / 1e6).toFixed(2)} MB in all`);
  if (total > maxBytes)
    throw new Error(`make-subset: the subset is over ${maxBytes / 1e6} MB; ask for fewer items`);
}

/**
 * Runs `makeSubset` from command-line arguments (`[SOURCE_DIR] [--train N] [--test N]`), the rest from
 * `defaults` (`out`, `train`, `test`, `maxBytes`).
 *
 * @example
 * makeSubsetCli(process.argv.slice(2), { out: "public/data", train: 3_000, test: 500, maxBytes: 2e6 });
 *
 * @param {readonly string[]} args
 * @param {{ out: string, train: number, test: number, maxBytes: number }} defaults
 */
export function makeSubsetCli(args, defaults) {
  const flag = (/** @type {string} */ name, /** @type {number} */ fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const positional = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
  makeSubset({
    source: resolve(positional[0] ?? DEFAULT_SOURCE),
    out: defaults.out,
    train: flag("--train", defaults.train),
    test: flag("--test", defaults.test),
    maxBytes: defaults.maxBytes,
  });
}

// IDX: 2 zero bytes, a type byte (8 = u8), the rank, then one big-endian u32 per dim, then the data.
/**
 * @param {string} path
 * @param {number} n
 */
function subsetIdx(path, n) {
  const bytes = gunzipSync(readFileSync(path));
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  if (!Number.isInteger(n) || n < 1 || n > dims[0])
    throw new Error(`make-subset: ${path} has ${dims[0]} items, asked for ${n}`);
  const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  const header = Buffer.from(bytes.subarray(0, 4 + 4 * rank));
  header.writeUInt32BE(n, 4);
  const body = bytes.subarray(4 + 4 * rank, 4 + 4 * rank + n * itemBytes);
  return gzipSync(Buffer.concat([header, body]), { level: 9 });
}

// Run only as a script: the playground's script imports this module for the functions above.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  makeSubsetCli(process.argv.slice(2), {
    out: join(here, "../data"),
    train: 10_000,
    test: 1_000,
    maxBytes: 5e6,
  });
