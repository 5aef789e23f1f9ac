// Regenerates the small Fashion-MNIST subset the playground serves (apps/playground/public/data/):
//   node apps/playground/scripts/make-subset.mjs [SOURCE_DIR] [--train N] [--test N]
// SOURCE_DIR holds the four original IDX .gz files (default ../shared/datasets/fashion-mnist next to the
// repository). Keeps the FIRST N items of each split, in order, re-encoded as IDX .gz, and copies the
// dataset's COPYRIGHT (MIT) beside them. The page downloads all of it before training, so the default
// 3,000 + 500 images keep the folder under 2 MB.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";

const MAX_BYTES = 2e6;
const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const positional = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--"));
const source = resolve(positional[0] ?? join(here, "../../../../shared/datasets/fashion-mnist"));
const out = join(here, "../public/data");
const counts = { train: flag("--train", 3_000), t10k: flag("--test", 500) };

// IDX: 2 zero bytes, a type byte (8 = u8), the rank, one big-endian u32 per dim, then the values.
function subset(file, n) {
  const bytes = gunzipSync(readFileSync(join(source, file)));
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  if (!Number.isInteger(n) || n < 1 || n > dims[0])
    throw new Error(`make-subset: ${file} has ${dims[0]} items, asked for ${n}`);
  const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  const header = Buffer.from(bytes.subarray(0, 4 + 4 * rank));
  header.writeUInt32BE(n, 4);
  const body = bytes.subarray(4 + 4 * rank, 4 + 4 * rank + n * itemBytes);
  return gzipSync(Buffer.concat([header, body]), { level: 9 });
}

mkdirSync(out, { recursive: true });
let total = 0;
for (const split of ["train", "t10k"]) {
  for (const kind of ["images-idx3", "labels-idx1"]) {
    const file = `${split}-${kind}-ubyte.gz`;
    const gz = subset(file, counts[split]);
    writeFileSync(join(out, file), gz);
    total += gz.length;
    console.log(`make-subset: ${file}: ${counts[split]} items, ${gz.length} bytes`);
  }
}
copyFileSync(join(source, "COPYRIGHT"), join(out, "COPYRIGHT"));
chmodSync(join(out, "COPYRIGHT"), 0o644); // the shared copy is read-only; keep ours rewritable
total += statSync(join(out, "COPYRIGHT")).size;
console.log(`make-subset: ${out}: ${(total / 1e6).toFixed(2)} MB in all`);
if (total > MAX_BYTES) throw new Error("make-subset: the subset is over 2 MB; ask for fewer items");
