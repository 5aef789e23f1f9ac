// The demo's command line, parsed with `node:util`'s `parseArgs` (Node, Bun and Deno all provide it):
// `--flag value` or `--flag=value`; unknown flags and bad values are errors that show the help.
import { parseArgs as parseFlags } from "node:util";

/** The text `--help` prints. */
export const HELP = `Train a Fashion-MNIST classifier with @flux (the README's first command).

usage: npm run demo -- [options]      (or: node|bun|deno run -A apps/demo/src/main.mjs [options])

  --device cpu|gpu|webgpu  where to train: gpu (default) picks WebGPU when it works, else the CPU
                           with the reason; webgpu insists on WebGPU; cpu never tries a GPU
  --epochs N               passes over the training set (default 10)
  --batchsize N            observations per step (default 64)
  --model mlp|cnn          mlp: Dense 784=>256 relu, Dense 256=>10 (default); cnn: LeNet-style, two
                           Conv 3x3 + BatchNorm + MaxPool 2x2 (16, 32 channels), Dense 800=>128 relu,
                           Dense 128=>10
  --lr X                   Adam's peak learning rate (default 0.002)
  --schedule NAME          the learning rate per step: cosine (default: a one-epoch linear warm-up, then
                           cosine annealing to lr/100), onecycle, step (x0.7 per epoch after the
                           third), constant
  --augment LIST           training-image augmentation, comma-separated: crop (shift by up to 2 pixels),
                           flip (mirror left-right), erase (blank a random rectangle), or none;
                           default flip for the cnn, none for the mlp (each scores highest so
                           in 10 epochs: see apps/demo/README.md)
  --data DIR               a folder with the four Fashion-MNIST IDX files (.gz or plain); default: the
                           subset shipped in apps/demo/data (10,000 train, 1,000 test images)
  --out DIR                where charts, the confusion matrix and the model go (default apps/demo/out)
  --seed N                 initialisation, shuffling and augmentation seed (default 1)
  --help                   this text
`;

/** Raised for a bad command line; main prints the message and the help, and exits with 2. */
export class DemoArgumentError extends Error {
  /** @override */
  name = "DemoArgumentError";
  code = "DEMO_BAD_ARGUMENT";
}

/**
 * The parsed command line (`data` and `out` undefined: main picks the shipped subset and apps/demo/out).
 * @typedef {{ device: string, epochs: number, batchsize: number, model: string, lr: number,
 *   schedule: string, augment: string[], data: string | undefined, out: string | undefined, seed: number,
 *   help: boolean }} DemoOptions
 */

/** @type {Record<string, readonly string[]>} */
const CHOICES = {
  device: ["cpu", "gpu", "webgpu"],
  model: ["mlp", "cnn"],
  schedule: ["cosine", "onecycle", "step", "constant"],
};
/** The augmentations `--augment` may list. */
export const AUGMENTATIONS = ["crop", "flip", "erase"];
const STRINGS = [
  "device",
  "epochs",
  "batchsize",
  "model",
  "lr",
  "schedule",
  "augment",
  "data",
  "out",
  "seed",
];

/**
 * Parses the demo's flags into an options object with defaults filled in.
 *
 * @example
 * parseArgs(["--epochs", "2", "--model=cnn"]); // { epochs: 2, model: "cnn", device: "gpu", ... }
 *
 * @param {readonly string[]} argv
 * @returns {DemoOptions}
 */
export function parseArgs(argv) {
  /** @type {Record<string, string | boolean | undefined>} */
  let v;
  try {
    v = parseFlags({
      args: [...argv],
      options: {
        ...Object.fromEntries(STRINGS.map((name) => [name, /** @type {const} */ ({ type: "string" })])),
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    // parseArgs' own messages name the flag; the help follows in main.
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new DemoArgumentError(`[demo] ${why}; see --help for the flags.`);
  }
  const str = (/** @type {string} */ name) => {
    const x = v[name];
    return typeof x === "string" ? x : undefined;
  };
  const model = choice("model", str("model") ?? "mlp");
  return {
    device: choice("device", str("device") ?? "gpu"),
    epochs: integer("epochs", str("epochs") ?? "10", 1),
    batchsize: integer("batchsize", str("batchsize") ?? "64", 1),
    model,
    lr: positive("lr", str("lr") ?? "0.002"),
    schedule: choice("schedule", str("schedule") ?? "cosine"),
    augment: augmentList(str("augment") ?? (model === "cnn" ? "flip" : "none")),
    data: str("data"),
    out: str("out"),
    seed: integer("seed", str("seed") ?? "1", 0),
    help: v.help === true,
  };
}

/**
 * @param {string} name
 * @param {string} value
 */
function choice(name, value) {
  const choices = CHOICES[name] ?? [];
  if (!choices.includes(value))
    throw new DemoArgumentError(`[demo] --${name} must be one of ${choices.join(", ")}; got ${value}.`);
  return value;
}

/**
 * @param {string} name
 * @param {string} value
 * @param {number} min
 */
function integer(name, value, min) {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < min)
    throw new DemoArgumentError(`[demo] --${name} must be a whole number >= ${min}; got ${value}.`);
  return n;
}

/**
 * @param {string} name
 * @param {string} value
 */
function positive(name, value) {
  const n = Number(value);
  if (value.trim() === "" || !(n > 0) || !Number.isFinite(n))
    throw new DemoArgumentError(`[demo] --${name} must be a positive number; got ${value}.`);
  return n;
}

/** @param {string} value */
function augmentList(value) {
  if (value === "none") return [];
  const list = value.split(",").map((s) => s.trim());
  for (const a of list)
    if (!AUGMENTATIONS.includes(a))
      throw new DemoArgumentError(
        `[demo] --augment lists ${AUGMENTATIONS.join(", ")} (comma-separated) or none; got ${a}.`,
      );
  return [...new Set(list)];
}
