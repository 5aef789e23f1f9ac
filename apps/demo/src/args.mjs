// The demo's command line: `--flag value` or `--flag=value`; unknown flags are errors that show the help.

/** The text `--help` prints. */
export const HELP = `Train a Fashion-MNIST classifier with @flux (the README's first command).

usage: npm run demo -- [options]      (or: node|bun|deno run -A apps/demo/src/main.mjs [options])

  --device cpu|gpu|webgpu  where to train: gpu (default) picks WebGPU when it works, else the CPU
                           with the reason; webgpu insists on WebGPU; cpu never tries a GPU
  --epochs N               passes over the training set (default 10)
  --batchsize N            observations per step (default 64)
  --model mlp|cnn          mlp: Dense 784=>256 relu, Dense 256=>10 (default); cnn: LeNet-style, two
                           Conv 3x3 + MaxPool 2x2 (16, 32 channels), Dense 800=>128 relu, Dense 128=>10
  --lr X                   Adam's learning rate (default 0.001)
  --data DIR               a folder with the four Fashion-MNIST IDX files (.gz or plain); default: the
                           subset shipped in apps/demo/data (10,000 train, 1,000 test images)
  --out DIR                where charts, the confusion matrix and the model go (default apps/demo/out)
  --seed N                 initialisation and shuffling seed (default 1)
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
 *   data: string | undefined, out: string | undefined, seed: number, help: boolean }} DemoOptions
 */

/** @type {DemoOptions} */
const DEFAULTS = {
  device: "gpu",
  epochs: 10,
  batchsize: 64,
  model: "mlp",
  lr: 0.001,
  data: undefined,
  out: undefined,
  seed: 1,
  help: false,
};
/** @type {Record<string, string[] | undefined>} */
const CHOICES = { device: ["cpu", "gpu", "webgpu"], model: ["mlp", "cnn"] };
const INTEGERS = ["epochs", "batchsize", "seed"];

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
  const opts = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      opts.help = true;
      continue;
    }
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1] in DEFAULTS) || m[1] === "help") {
      throw new DemoArgumentError(
        `[demo] unknown argument ${JSON.stringify(arg)}; see --help for the flags.`,
      );
    }
    const name = m[1];
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new DemoArgumentError(`[demo] --${name} needs a value; see --help.`);
    /** @type {Record<string, unknown>} */ (opts)[name] = convert(name, value);
  }
  return opts;
}

/**
 * @param {string} name
 * @param {string} value
 * @returns {string | number}
 */
function convert(name, value) {
  const choices = CHOICES[name];
  if (choices && !choices.includes(value)) {
    throw new DemoArgumentError(`[demo] --${name} must be one of ${choices.join(", ")}; got ${value}.`);
  }
  if (INTEGERS.includes(name) || name === "lr") {
    const n = Number(value);
    const ok =
      name === "lr" ? n > 0 && Number.isFinite(n) : Number.isInteger(n) && n >= (name === "seed" ? 0 : 1);
    if (!ok) throw new DemoArgumentError(`[demo] --${name} must be a positive number; got ${value}.`);
    return n;
  }
  return value;
}
