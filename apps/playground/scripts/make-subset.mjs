// Regenerates the small Fashion-MNIST subset the playground serves (apps/playground/public/data/):
//   node apps/playground/scripts/make-subset.mjs [SOURCE_DIR] [--train N] [--test N]
// SOURCE_DIR holds the four original IDX .gz files (default: $FLUX_FASHION_MNIST_DIR, else
// shared/datasets/fashion-mnist next to the repository; tooling/fixtures.mjs). Keeps the FIRST N items of
// each split, in order, re-encoded as IDX .gz, and copies the dataset's COPYRIGHT (MIT) beside them. The page
// downloads all of it before training, so the default 3,000 + 500 images keep the folder under 2 MB. The
// re-encoding is the demo's (one copy of the IDX code).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeSubsetCli } from "../../demo/scripts/make-subset.mjs";

const here = dirname(fileURLToPath(import.meta.url));
makeSubsetCli(process.argv.slice(2), {
  out: join(here, "../public/data"),
  train: 3_000,
  test: 500,
  maxBytes: 2e6,
});
