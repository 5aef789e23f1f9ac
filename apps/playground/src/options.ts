// The page's settings, read from the URL's query string so a link (or the e2e test) can fix them.

/** Where to train: `auto` is Flux's `gpu_device()` (WebGPU, else the CPU), the others force one. */
export type DeviceChoice = "auto" | "webgpu" | "cpu";

/** The playground's settings. */
export interface PlaygroundOptions {
  /** Training steps (mini-batches) per run. */
  readonly steps: number;
  /** Observations per mini-batch. */
  readonly batchsize: number;
  /** Width of the MLP's hidden layer: `Chain(Dense(784 => hidden, relu), Dense(hidden => 10))`. */
  readonly hidden: number;
  /** Adam's learning rate. */
  readonly lr: number;
  /** Seed of the weights and of the shuffling. */
  readonly seed: number;
  /** Refresh the test predictions every this many steps (and after the last one). */
  readonly evalEvery: number;
  readonly device: DeviceChoice;
  /** Start training as soon as the data is loaded, without a click. */
  readonly autostart: boolean;
}

/** The settings when the URL names none. */
export const DEFAULT_OPTIONS: PlaygroundOptions = Object.freeze({
  steps: 200,
  batchsize: 64,
  hidden: 128,
  lr: 1e-3,
  seed: 1,
  evalEvery: 25,
  device: "auto",
  autostart: false,
});

/** A query parameter that cannot be used; the page shows the message instead of guessing. */
export class PlaygroundOptionError extends Error {
  readonly code = "ERR_PLAYGROUND_OPTION";
  override readonly name = "PlaygroundOptionError";
}

function integer(params: URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const raw = params.get(key);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new PlaygroundOptionError(
      `[@flux-apps/playground] ?${key}=${raw} is not usable: give a whole number from ${min} to ${max}.`,
    );
  return n;
}

/**
 * Reads the settings from a query string (`location.search`); absent keys keep their defaults.
 *
 * Keys: `steps`, `batch`, `hidden`, `lr`, `seed`, `evalEvery`, `device` (`auto|webgpu|cpu`) and
 * `autostart` (present, or `1`/`true`). A value out of range throws `PlaygroundOptionError`, which the page
 * shows, so a mistyped link never trains with silently different settings.
 *
 * @example
 * parseOptions("?steps=40&device=webgpu&autostart").steps; // 40
 */
export function parseOptions(search: string): PlaygroundOptions {
  const params = new URLSearchParams(search);
  const d = DEFAULT_OPTIONS;
  const device = (params.get("device") ?? d.device) as DeviceChoice;
  if (!["auto", "webgpu", "cpu"].includes(device))
    throw new PlaygroundOptionError(
      `[@flux-apps/playground] ?device=${device} is not usable: give auto, webgpu or cpu.`,
    );
  const lrRaw = params.get("lr");
  const lr = lrRaw === null ? d.lr : Number(lrRaw);
  if (!(lr > 0 && lr < 1))
    throw new PlaygroundOptionError(
      `[@flux-apps/playground] ?lr=${lrRaw} is not usable: give a learning rate between 0 and 1, e.g. 0.001.`,
    );
  const auto = params.get("autostart");
  return {
    steps: integer(params, "steps", d.steps, 1, 100_000),
    batchsize: integer(params, "batch", d.batchsize, 1, 3_000),
    hidden: integer(params, "hidden", d.hidden, 1, 4_096),
    lr,
    seed: integer(params, "seed", d.seed, 0, 2 ** 31 - 1),
    evalEvery: integer(params, "evalEvery", d.evalEvery, 1, 100_000),
    device,
    autostart: auto !== null && auto !== "0" && auto !== "false",
  };
}
